#!/usr/bin/env python3
"""Records the Spanish prompts with espeak-ng (Debian: apt-get install espeak-ng sox).

Spanish has no MaryTTS voice, so the shipped Spanish catalog comes with recordings: this
script made them (robotic, but intelligible; replace them with a speaker's recordings for
production: same file names). It reads every `id: {text: ..., audio: audio/<id>.wav}` entry
of the catalog files here and writes audio/<id>.wav (8 kHz mono, what Asterisk plays); the server converts
recordings to what Asterisk plays. Parts in English (the language menu) are spoken by the
English voice. Run from anywhere: python3 prompts/es/record-with-espeak.py
"""
import pathlib
import re
import subprocess
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
ENGLISH = re.compile(r"^(For English, press \d\.)\s*(.*)$")


def speak(text, voice, out):
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(out), text], check=True)


def record(pid, text):
    target = HERE / "audio" / (pid + ".wav")
    with tempfile.TemporaryDirectory() as tmp:
        parts = []
        m = ENGLISH.match(text)
        if m:
            parts.append((m.group(1), "en-us"))
            text = m.group(2)
        parts.append((text, "es"))
        files = []
        for i, (t, voice) in enumerate(parts):
            f = pathlib.Path(tmp) / f"{i}.wav"
            speak(t, voice, f)
            files.append(str(f))
        subprocess.run(["sox", "-D", *files, "-r", "8000", "-c", "1", "-b", "16", str(target), "norm", "-3"], check=True)
    print(target.relative_to(HERE.parent.parent))


def main():
    entry = re.compile(r"^([A-Za-z0-9_.-]+):\s*$")
    for catalog in sorted(HERE.glob("*.yaml")):
        pid = None
        for line in catalog.read_text(encoding="utf-8").splitlines():
            m = entry.match(line)
            if m:
                pid = m.group(1)
                continue
            t = re.match(r"^\s+text:\s*(.+)$", line)
            if pid and t:
                record(pid, t.group(1).strip().strip('"'))


if __name__ == "__main__":
    main()
