"""Test-wide settings: Qt runs offscreen, quietly, with no real user settings touched."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
# One BLAS thread: deterministic figures and no oversubscription on CI's two cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
# Speech-to-text does not run after every analysis in tests (the transcripts tests turn it on).
os.environ.setdefault("VOICEARCHIVE_ASR", "off")

# Property tests are deterministic: the same examples on every run and machine (no example database).
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("voicearchive", derandomize=True, database=None)
_hypothesis_settings.load_profile("voicearchive")


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _no_model_version_reported_by_workers(monkeypatch):
    """A model version adopted from worker processes (``features.adopt_model_version``) lasts for the
    process: each test starts without one, so that none answers for the encoder another test loads."""
    from voicearchive.voices import features

    monkeypatch.setattr(features, "_reported", {})
