"""Surface overlap with sacrebleu, where comparing the words themselves makes sense.

Between two texts in one language (a same-language re-report and its original, or a version
and a reference translation) character n-gram F-score (chrF) and edit rate (TER) say how much
was rewritten, which embeddings deliberately ignore. Each figure carries sacrebleu's signature
so it can be reproduced.
"""

from __future__ import annotations

from collections.abc import Sequence

from fidelity.model import Alignment, Document

# TER's shift search grows quickly with segment length; a whole document compared as one
# segment beyond this many words is scored by chrF alone.
TER_MAX_WORDS = 2000


def against_original(
    original: Document, version: Document, alignments: Sequence[Alignment]
) -> dict[str, object]:
    """chrF and TER of the version's aligned sentences against the original's."""
    hypotheses, references = [], []
    for bead in alignments:
        if bead.original_ids and bead.version_ids:
            hypotheses.append(" ".join(version.segments[j].text for j in bead.version_ids))
            references.append(" ".join(original.segments[i].text for i in bead.original_ids))
    if not hypotheses:
        return {}
    return _scores(hypotheses, references, "original")


def against_reference(version: Document, reference: Document) -> dict[str, object]:
    """Document-level chrF (and TER when short enough) against a reference translation."""
    hypothesis = " ".join(version.text.split())
    target = " ".join(reference.text.split())
    with_ter = max(len(hypothesis.split()), len(target.split())) <= TER_MAX_WORDS
    return _scores([hypothesis], [target], "reference", with_ter)


def _scores(
    hypotheses: list[str], references: list[str], against: str, with_ter: bool = True
) -> dict[str, object]:
    from sacrebleu.metrics import CHRF, TER

    chrf = CHRF()
    result: dict[str, object] = {
        f"chrF_vs_{against}": round(chrf.corpus_score(hypotheses, [references]).score, 2),
        "chrF_signature": str(chrf.get_signature()),
    }
    if with_ter:
        ter = TER()
        result[f"TER_vs_{against}"] = round(ter.corpus_score(hypotheses, [references]).score, 2)
        result["TER_signature"] = str(ter.get_signature())
    return result
