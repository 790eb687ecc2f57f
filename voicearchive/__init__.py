"""VoiceArchive: see what a voice assistant kept of your home."""

__version__ = "0.1.0"
