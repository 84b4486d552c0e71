#!/bin/sh
# Prints the path of a working Python >= 3.12, or explains in Russian and English and fails.
# pyenv shims may exist for versions that are not selected, so every candidate is actually run.
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for c in "${PYTHON:-}" python3.12 python3.13 python3.14 python3; do
  [ -n "$c" ] || continue
  p=$(command -v "$c" 2>/dev/null) || continue
  if ok "$p"; then echo "$p"; exit 0; fi
done
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for p in $(ls -d "$root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -V); do
  if ok "$p"; then echo "$p"; exit 0; fi
done
echo "Не найден Python 3.12 или новее. Установите python3.12 (или укажите путь в PYTHON=...)." >&2
echo "Python 3.12 or newer was not found. Install python3.12 (or set PYTHON=/path/to/python)." >&2
exit 1
