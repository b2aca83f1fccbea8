"""Tests of the files provider and its checks."""
