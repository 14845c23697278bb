#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a source, build or script file lacks its SPDX-License-Identifier line near the top.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.h' '*.sh' '*.js' 'CMakeLists.txt' '*/CMakeLists.txt' '*.cmake' \
  .ci/run 'packaging/debian/*/postinst' 'packaging/debian/*/prerm' 'packaging/debian/*/postrm')
bad=0
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  if ! head -n 3 "$f" | grep -q 'SPDX-License-Identifier: GPL-3.0-or-later'; then
    echo "no SPDX-License-Identifier line: $f"
    bad=1
  fi
done
[ $bad -eq 0 ] && echo "licence check: ${#files[@]} files carry GPL-3.0-or-later"
exit $bad
