"""The paper: ``facts`` (what it publishes, as printed), ``lemma`` (Lemma 4.5 of Santurkar et
al., the statement it refutes) and ``counterexample`` (its derivation, exact)."""
