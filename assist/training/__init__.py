"""Offline fitting (scikit-learn, SciPy): the risk model, the distilled window embedder, the consumer text models.
Writes artefacts (assist.core.artefacts) that the services load; never imported by the services."""
