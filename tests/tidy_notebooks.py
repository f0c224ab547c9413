"""Tidy executed notebooks so that re-running an unchanged chapter changes no byte
(``make execute`` calls it after executing).

- nbclient records when each cell ran (``metadata.execution``): dropped;
- the kernel may split one printed text into several stream outputs, differently on every
  run: consecutive outputs of the same stream are merged into one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def tidy(nb: dict) -> dict:
    """The notebook without timing metadata and with consecutive stream outputs merged."""
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("execution", None)
        merged: list[dict] = []
        for out in cell.get("outputs", []):
            prev = merged[-1] if merged else None
            if (prev and out["output_type"] == prev["output_type"] == "stream"
                    and out["name"] == prev["name"]):
                text = "".join(prev["text"]) + "".join(out["text"])
                prev["text"] = text.splitlines(keepends=True)
            else:
                merged.append(out)
        if "outputs" in cell:
            cell["outputs"] = merged
    return nb


def main(paths: list[str]) -> None:
    for p in map(Path, paths):
        nb = tidy(json.loads(p.read_text()))
        p.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
