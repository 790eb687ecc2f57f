# The contrib hook for webrtcvad copies the metadata of a distribution named "webrtcvad", but we install
# the binary-wheel fork "webrtcvad-wheels" (same module). This hook takes precedence and copies the right one.
from PyInstaller.utils.hooks import copy_metadata

datas = copy_metadata("webrtcvad-wheels")
