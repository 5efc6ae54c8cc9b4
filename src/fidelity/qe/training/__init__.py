"""Training of the learned fidelity model (torch, imported only inside this package).

`python -m fidelity.qe.training.train --manifest MANIFEST --out src/fidelity/qe/weights/`
trains the shipped model; see the model card written beside the weights.
"""
