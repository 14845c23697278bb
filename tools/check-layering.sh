#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# app/ and server/ are the widget-free core: fail if any file there includes a Qt Widgets header.
# And JSON is read by JsonTree only (its caps and its rule on repeated names, PROTOCOL.md section 1):
# fail if product code parses JSON with QJsonDocument, which keeps the last of two equal names.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
widgets_dir=$(find /usr/include -maxdepth 3 -type d -path '*qt6/QtWidgets' | head -n 1)
[ -n "$widgets_dir" ] || { echo "layering check: Qt Widgets headers not found"; exit 1; }
# Every header QtWidgets ships, as the names code would include: <QtWidgets/...>, <QWidget>, ...
mapfile -t headers < <(ls "$widgets_dir" | grep -v '\.h$')
pattern="#include *<(QtWidgets/|($(IFS='|'; echo "${headers[*]}"))>)"
if offenders=$(git ls-files app server | grep -E '\.(h|cpp)$' | xargs grep -nE "$pattern"); then
  echo "layering check: Qt Widgets included in the widget-free core:"
  echo "$offenders"
  exit 1
fi
echo "layering check: app/ and server/ include no Qt Widgets header"
if offenders=$(git ls-files app server ui | grep -E '\.(h|cpp)$' | xargs grep -nE 'QJsonDocument::fromJson'); then
  echo "layering check: JSON read without JsonTree (use JsonTree: one grammar, caps and duplicate rule):"
  echo "$offenders"
  exit 1
fi
echo "layering check: app/, server/ and ui/ read JSON only with JsonTree"
