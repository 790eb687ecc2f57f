"""Entry point of the PyInstaller bundle."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # analysis workers are spawned processes of this same binary
    from voicearchive.cli import main

    sys.exit(main())
