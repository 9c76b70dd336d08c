"""Textcat's tokenizer in Python, as docs/tokenizer.md specifies it: NFKC, lowercase, ICU word (or grapheme)
segmentation, vocabulary lookup, left padding, and for a model with a wide path the ids of the line's known
n-grams. Uses ICU through PyICU (Debian: python3-icu) for every Unicode step, so its answers depend on the ICU
version only, as Textcat's own do (Node's Intl is ICU too).

    tokenizer = Tokenizer.from_json(json.load(open("model/textcat.json"))["tokenizer"])
    tokenizer.encode("The server crashed")  # -> [12, 845, 3]
    tokenizer.encode_ngrams("The server crashed")  # -> [4, 87, 9, ...] (empty without a wide path)
"""

import icu

PAD = 0
OOV = 1
LATEST_VERSION = 2
SEGMENTER_LOCALE = "en"

# ECMAScript's \s (WhiteSpace and LineTerminator), not Python's str.isspace: U+0085 and U+001C-U+001F differ.
JS_WHITESPACE = icu.UnicodeSet(r"[\t\n\u000B\f\r\uFEFF\u2028\u2029[:Zs:]]")
PUNCTUATION = icu.UnicodeSet("[:P:]")
NFKC = icu.Normalizer2.getNFKCInstance()
# V8's isWordLike: the break's rule status is a number, letter, kana or ideograph status (UBRK_WORD_NUMBER to
# UBRK_WORD_IDEO_LIMIT); spaces, punctuation and emoji have UBRK_WORD_NONE (0 to 99).
WORD_LIKE_STATUS = range(100, 500)
# Scripts written without spaces between words: their runs of tokens give character n-grams, not subwords.
NO_SPACE_SCRIPT = icu.UnicodeSet("[[:sc=Han:][:sc=Hiragana:][:sc=Katakana:][:sc=Thai:][:sc=Lao:][:sc=Khmer:][:sc=Myanmar:]]")


def fnv1a(text):
    """32-bit FNV-1a over the UTF-8 bytes of `text` (a lone surrogate as U+FFFD)."""
    h = 0x811C9DC5
    valid = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    for byte in valid.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def ngram_features(tokens):
    """A line's n-gram strings in Textcat's order (docs/tokenizer.md, "N-grams"); `tokens` are the first maxLength."""
    features = list(tokens)
    features += [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]
    runs, run = [], ""
    for token in tokens:
        if NO_SPACE_SCRIPT.containsAll(token):
            run += token
        else:
            if run:
                runs.append(run)
            run = ""
    if run:
        runs.append(run)
    for chars in runs:  # a Python str indexes code points, as Array.from does
        features += [chars[i : i + n] for i in range(len(chars)) for n in range(1, 4) if i + n <= len(chars)]
    for token in tokens:
        if NO_SPACE_SCRIPT.containsAll(token):
            continue
        chars = f"<{token}>"
        features += [chars[i : i + n] for i in range(len(chars)) for n in range(3, 6) if i + n <= len(chars) and n < len(chars)]
    return features


def segments(iterator, text):
    """(segment, rule status) pairs of `text`; ICU counts in UTF-16 units, so slices are of a UnicodeString."""
    utf16 = icu.UnicodeString(text)
    iterator.setText(utf16)
    start = iterator.first()
    for end in iter(iterator.nextBoundary, icu.BreakIterator.DONE):
        yield str(utf16[start:end]), iterator.getRuleStatus()
        start = end


class Tokenizer:
    def __init__(self, config, vocab, version=LATEST_VERSION, ngram_hashes=None):
        if version > LATEST_VERSION:
            raise ValueError(f"tokenizer version {version} is newer than this reference ({LATEST_VERSION})")
        self.config = config
        self.vocab = vocab
        self.ids = {token: i for i, token in enumerate(vocab)}
        # A model with a wide path: the n-gram with hash ngram_hashes[i] has id i + 1 (0 is padding).
        self.ngram_ids = {h: i + 1 for i, h in enumerate(ngram_hashes)} if ngram_hashes is not None else None
        # Version 1 used the runtime's default locale; no ICU locale that V8 picks by default tailors word
        # breaks (only en-US-POSIX does), so both versions break as "en" does.
        locale = icu.Locale(SEGMENTER_LOCALE)
        self.words = icu.BreakIterator.createWordInstance(locale)
        self.graphemes = icu.BreakIterator.createCharacterInstance(locale)

    @classmethod
    def from_json(cls, saved):
        """From textcat.json's "tokenizer" or an export's tokenizer.json."""
        ngrams = saved.get("ngrams")
        return cls(saved["config"], saved["vocab"], saved.get("version", 1), ngrams["hashes"] if ngrams else None)

    def tokenize(self, text):
        text = NFKC.normalize(text)
        if self.config["lowercase"]:
            text = str(icu.UnicodeString(text).toLower(icu.Locale.getRoot()))
        keep_punctuation = self.config["keepPunctuation"]
        if self.config["mode"] == "word":
            return [
                segment
                for segment, status in segments(self.words, text)
                if status in WORD_LIKE_STATUS or (keep_punctuation and not JS_WHITESPACE.containsAll(segment))
            ]
        return [
            segment
            for segment, _ in segments(self.graphemes, text)
            if not JS_WHITESPACE.containsAll(segment) and (keep_punctuation or not PUNCTUATION.containsAll(segment))
        ]

    def encode(self, text):
        """Ids of the first maxLength tokens; unknown tokens are OOV."""
        return [self.ids.get(token, OOV) for token in self.tokenize(text)[: self.config["maxLength"]]]

    def encode_ngrams(self, text):
        """Ids of the line's known n-grams (of its first maxLength tokens), each as often as it occurs; [] without a wide path."""
        if self.ngram_ids is None:
            return []
        tokens = self.tokenize(text)[: self.config["maxLength"]]
        hashes = (fnv1a(feature) for feature in ngram_features(tokens))
        return [self.ngram_ids[h] for h in hashes if h in self.ngram_ids]

    def model_input(self, text):
        """The model's input row: the ids right-aligned behind PAD, maxLength long."""
        ids = self.encode(text)
        return [PAD] * (self.config["maxLength"] - len(ids)) + ids


def check_vectors(path):
    """Runs docs/tokenizer-vectors.json; returns the number of failures. Picks the results listed for this
    ICU version where a case has results for older ICUs."""
    import json

    with open(path, encoding="utf-8") as f:
        vectors = json.load(f)
    icu_version = version_tuple(icu.ICU_VERSION)
    failed = 0
    for sample in vectors["fnv1a"]:
        if fnv1a(sample["text"]) != sample["fnv1a"]:
            failed += 1
            print(f"FAIL fnv1a({sample['text']!r}) = {fnv1a(sample['text'])} != {sample['fnv1a']}")
    ngram_vocab = vectors["ngramVocab"]
    if [fnv1a(feature) for feature in ngram_vocab["features"]] != ngram_vocab["hashes"]:
        failed += 1
        print("FAIL fnv1a of ngramVocab.features != ngramVocab.hashes")
    for case in vectors["cases"]:
        config = {"maxVocab": 20000, "minCount": 1, **vectors["defaults"], **case.get("config", {})}
        tokenizer = Tokenizer(config, vectors["vocab"], vectors["tokenizerVersion"], ngram_vocab["hashes"])
        expected = next(
            (o for o in case.get("olderIcu", []) if version_tuple(o["from"]) <= icu_version < version_tuple(o["below"])),
            case,
        )
        text = case["text"]
        got = {
            "tokens": tokenizer.tokenize(text),
            "ids": tokenizer.encode(text),
            "input": tokenizer.model_input(text),
            "ngrams": tokenizer.encode_ngrams(text),
        }
        wrong = [key for key in got if got[key] != expected[key]]
        if wrong:
            failed += 1
            print(f"FAIL {case['name']}: {wrong[0]} {got[wrong[0]]} != {expected[wrong[0]]}")
    print(f"ICU {icu.ICU_VERSION}: {len(vectors['cases']) - failed} passed, {failed} failed")
    return failed


def version_tuple(version):
    return tuple(int(part) for part in version.split("."))


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 3 or sys.argv[1] != "--check":
        sys.exit("usage: textcat_tokenizer.py --check docs/tokenizer-vectors.json")
    sys.exit(1 if check_vectors(sys.argv[2]) else 0)
