#!/usr/bin/env bash
# Records the language menu (one sentence per language, each in its own voice) with eSpeak NG
# and sox (Debian: apt-get install espeak-ng sox) into prompts/<lang>/audio/language-menu.wav
# for every language that offers it. Replace the files with a speaker's recording for
# production (same name). Run from anywhere: bash prompts/record-language-menu.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
parts=(
  "en-us|For English, press 1."
  "es|Para español, oprima 2."
  "hu|Magyar nyelvű ügyintézéshez nyomja meg a hármast."
  "de|Für Deutsch drücken Sie die 4."
  "it|Per l'italiano, prema 5."
)
files=()
for i in "${!parts[@]}"; do
  voice="${parts[$i]%%|*}"
  text="${parts[$i]#*|}"
  espeak-ng -v "$voice" -s 150 -w "$tmp/$i.wav" "$text"
  sox "$tmp/$i.wav" -r 8000 -c 1 -b 16 "$tmp/$i-8k.wav"
  files+=("$tmp/$i-8k.wav")
  sox -n -r 8000 -c 1 -b 16 "$tmp/gap$i.wav" trim 0 0.35
  files+=("$tmp/gap$i.wav")
done
sox "${files[@]}" "$tmp/menu.wav" norm -3
for lang in en es hu de it; do
  mkdir -p "$here/$lang/audio"
  cp "$tmp/menu.wav" "$here/$lang/audio/language-menu.wav"
  echo "prompts/$lang/audio/language-menu.wav"
done
