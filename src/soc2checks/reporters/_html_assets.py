"""The inline stylesheet and script of the HTML report (no external resources)."""

from __future__ import annotations

CSS = """
:root{--fail:#b42318;--error:#a15c07;--waived:#1d5fa8;--skip:#667085;--pass:#067647;
--none:#98a2b3;--bg:#fff;--fg:#101828;--muted:#475467;--line:#eaecf0}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);
background:var(--bg);margin:0 auto;max-width:1200px;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;
border-bottom:2px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:16px 0 6px}
.muted{color:var(--muted)}
nav.toc{border:1px solid var(--line);border-radius:8px;padding:8px 16px;margin:16px 0}
nav.toc ol{margin:4px 0;padding-left:20px}
.tiles{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.tile{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:92px}
.tile b{display:block;font-size:22px}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
pre{background:#f9fafb;border:1px solid var(--line);border-radius:6px;padding:8px;
overflow:auto;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;max-height:320px}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;
font-weight:600;color:#fff;text-transform:uppercase;white-space:nowrap}
.s-fail{background:var(--fail)}.s-error{background:var(--error)}
.s-waived{background:var(--waived)}.s-skip{background:var(--skip)}.s-pass{background:var(--pass)}
.s-none{background:var(--none)}
.bar{display:flex;height:18px;border-radius:4px;overflow:hidden;background:var(--line);
min-width:200px}
.bar span{display:block;height:100%}
.chart td:first-child{width:180px}
details.finding{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:6px 10px}
details.finding>summary{cursor:pointer}
details.finding .msg{margin:6px 0;white-space:pre-wrap}
details.finding dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:4px 0}
details.finding dt{color:var(--muted)}details.finding dd{margin:0}
details.finding .source{margin:2px 0}details.finding dl.evidence dl.evidence{margin:0}
details.group{margin:12px 0}details.group>summary{cursor:pointer;font-weight:600}
#filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;padding:8px 12px;
border:1px solid var(--line);border-radius:8px;background:#f9fafb;position:sticky;top:0}
#filters label{white-space:nowrap}
.hidden{display:none!important}
@media print{#filters{display:none}details.finding{break-inside:avoid}}
"""

JS = """
(function(){
  var form=document.getElementById('filters');
  if(!form){return;}
  form.hidden=false;
  var items=Array.prototype.slice.call(document.querySelectorAll('details.finding'));
  var shown=document.getElementById('shown-count');
  function value(id){var el=document.getElementById(id);return el?el.value:'';}
  function apply(){
    var statuses={};
    Array.prototype.forEach.call(form.querySelectorAll('input[name=status]'),function(b){
      statuses[b.value]=b.checked;});
    var provider=value('f-provider'),control=value('f-control'),crit=value('f-criterion');
    var text=value('f-text').toLowerCase().trim();
    var count=0;
    items.forEach(function(el){
      var d=el.dataset;
      var ok=statuses[d.status]!==false&&(!provider||d.provider===provider)&&
        (!control||d.control===control)&&
        (!crit||(' '+d.criteria+' ').indexOf(' '+crit+' ')>=0)&&
        (!text||el.textContent.toLowerCase().indexOf(text)>=0);
      el.classList.toggle('hidden',!ok);
      if(ok){count+=1;}
    });
    Array.prototype.forEach.call(document.querySelectorAll('details.group'),function(g){
      var any=g.querySelector('details.finding:not(.hidden)');
      g.classList.toggle('hidden',!any);
      if(text&&any){g.open=true;}
    });
    shown.textContent=String(count);
  }
  form.addEventListener('input',apply);
  form.addEventListener('change',apply);
  form.addEventListener('submit',function(e){e.preventDefault();});
  Array.prototype.forEach.call(document.querySelectorAll('a[data-crit]'),function(a){
    a.addEventListener('click',function(){
      var sel=document.getElementById('f-criterion');
      if(sel.querySelector('option[value="'+a.dataset.crit+'"]')){sel.value=a.dataset.crit;}
      else{sel.value='';}
      apply();});});
  apply();
})();
"""
