#!/usr/bin/env bash
# Builds the python-notes sample plugin: a virtual environment in .venv with the pinned packages of
# requirements.txt, and the Python code for compensa.v1 and go-plugin's plugin.* services generated
# into gen/ from ../../proto (never committed). Idempotent, and quick when nothing changed.
# Needs Python >= 3.9 with the venv module (Debian: python3-venv) and access to PyPI (or a mirror
# configured for pip) the first time.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
die() { echo "error: $*" >&2; exit 1; }

python="${PYTHON:-python3}"
command -v "$python" >/dev/null 2>&1 ||
  die "Python 3 is not installed (no '$python' on PATH): install python3 and python3-venv (3.9 or later)"
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' ||
  die "$("$python" --version 2>&1) is too old: python-notes needs Python 3.9 or later"

venv="$here/.venv"
stamp="$venv/.requirements"
if [[ ! -x "$venv/bin/python" ]] || ! cmp -s "$here/requirements.txt" "$stamp"; then
  rm -rf "$venv"
  "$python" -m venv "$venv" ||
    die "could not create a virtual environment with $python: install python3-venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt" ||
    die "pip could not install requirements.txt into $venv (is PyPI reachable?)"
  cp "$here/requirements.txt" "$stamp"
fi

gen="$here/gen"
gen_stamp="$gen/.stamp"
if [[ ! -f "$gen_stamp" ]] || ! cmp -s "$here/requirements.txt" "$gen_stamp" ||
   [[ -n "$(find "$repo/proto/compensa" "$repo/proto/plugin" -name '*.proto' -newer "$gen_stamp")" ]]; then
  rm -rf "$gen" && mkdir -p "$gen"
  well_known="$("$venv/bin/python" -c 'import grpc_tools, os; print(os.path.join(os.path.dirname(grpc_tools.__file__), "_proto"))')"
  (cd "$repo/proto" && "$venv/bin/python" -m grpc_tools.protoc -I . -I "$well_known" \
    --python_out="$gen" --grpc_python_out="$gen" compensa/v1/*.proto plugin/*.proto)
  cp "$here/requirements.txt" "$gen_stamp"
fi
echo "python-notes: built ($venv, $gen)" >&2
