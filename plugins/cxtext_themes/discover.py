"""Inductive theme discovery: cluster sentence embeddings into a draft codebook.

The draft is meant to be read, edited and applied as an ordinary codebook
(``docs/themes.md``: discover -> edit -> re-apply). Steps:

0. Filler is handled first (:mod:`cxtext_themes.filler`): sentences that are filler and
   little else ("Yeah, yes, sure", "Okay, ok") are left out, and filler words are never
   key phrases. Callers embed the sentences as :func:`discovery_text` gives them: filler,
   @handles and links stripped (``cxtext themes discover`` does).
1. Clustering is deterministic, so the same sentences always give the same draft: Ward's
   hierarchical clustering (on at most ``MAX_LINKAGE`` evenly spaced sentences) gives the
   starting centroids for each candidate number of themes, and KMeans refines them on all
   sentences. Random KMeans starts were tried first: on real sentence embeddings, whose
   clusters overlap, two seeds agreed only at ARI 0.5-0.75. The number of themes is chosen
   by the silhouette score (cosine) between ``min_themes`` and ``max_themes`` (default 8-20:
   a draft people can read and edit; on sentence embeddings the silhouette is nearly flat
   over k and, over an open range, picks one of its ends).
2. Near-duplicate clusters are merged: those whose centroids have cosine at least
   ``merge_similarity`` and ``merge_margin`` above the median cosine between centroids, and
   those whose three top key phrases share two (the same theme to a reader). On short
   texts that share much wording (tweets to airlines) every centroid is within cosine
   0.7-0.9 of every other, so a fixed threshold merged everything into one theme. Clusters smaller than ``min_size`` are dissolved into
   the nearest kept cluster, and sentences far from every centroid (cosine below
   ``outlier_similarity``) are left unassigned, so that few sentences are outliers (unlike
   density clustering, where 30-50% often are).
3. Each cluster is described by its distinctive key phrases (class-based TF-IDF over
   1-2 word n-grams, as in BERTopic) and by representative sentences: those closest to
   the centroid, not the first ones.
4. With an existing codebook, clusters whose centroid matches an existing theme (cosine
   of the centroids at least ``match_threshold``, one-to-one) keep that theme's entry and
   id, so re-running on new data keeps ids stable.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from cxtext_themes.codebook import Codebook, Theme
from cxtext_themes.filler import FILLER_WORDS, is_filler, strip_filler

Encoder = Callable[[list[str]], np.ndarray]

#: Ward's linkage needs memory quadratic in the sentences; above this many it runs on an
#: evenly spaced subset and KMeans refines its centroids on all of them.
MAX_LINKAGE = 5000


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    # scikit-learn's list has words that name CX themes ("bill", "call", "system", "back");
    # filler words ("um", "yeah", "like") name none.
    kept = {"bill", "call", "system", "back", "amount", "fire", "interest", "move", "empty",
            "full", "found", "find", "cry", "detail", "top", "thin", "thick", "hundred"}
    return frozenset((ENGLISH_STOP_WORDS - kept) | FILLER_WORDS | CONTRACTIONS)


# scikit-learn's list has no contractions, and in speech they are the commonest words
# ("it's", "i'm", "that's"): as key phrases they name no theme.
CONTRACTIONS = frozenset(
    f"{stem}'{tail}" for stem, tails in {
        "i": ("m", "ve", "ll", "d"), "you": ("re", "ve", "ll", "d"), "we": ("re", "ve", "ll", "d"),
        "they": ("re", "ve", "ll", "d"), "he": ("s", "ll", "d"), "she": ("s", "ll", "d"),
        "it": ("s", "ll", "d"), "that": ("s", "ll", "d"), "there": ("s", "re", "ll", "d"),
        "what": ("s", "re", "ll", "d"), "who": ("s", "re", "ll", "d"), "here": ("s",), "let": ("s",),
        "where": ("s",), "how": ("s",), "don": ("t",), "doesn": ("t",), "didn": ("t",), "isn": ("t",),
        "aren": ("t",), "wasn": ("t",), "weren": ("t",), "haven": ("t",), "hasn": ("t",), "hadn": ("t",),
        "won": ("t",), "wouldn": ("t",), "couldn": ("t",), "shouldn": ("t",), "can": ("t",), "ain": ("t",),
    }.items() for tail in tails)
STOP_WORDS = _stop_words()

_HANDLE_OR_LINK = re.compile(r"(?i)(?:(?<![\w])@\w+|https?://\S+|www\.\S+)")


def discovery_text(text: str) -> str:
    """The text discovery clusters and names: no @handles or links, no filler (:func:`strip_filler`).

    Tweets to one brand share its handle; left in, the handle outweighs what the tweet is about.
    """
    cleaned = " ".join(_HANDLE_OR_LINK.sub(" ", text).split())
    return strip_filler(cleaned) or cleaned or text


@dataclass
class DiscoveredTheme:
    theme: Theme
    size: int
    members: np.ndarray  # indices of the sentences assigned to it
    centroid: np.ndarray
    terms: list[str]
    matched: str | None = None  # id of the existing theme it matched
    match_similarity: float | None = None


@dataclass
class Discovery:
    """A draft codebook with what discovery found on the way."""

    codebook: Codebook
    themes: list[DiscoveredTheme]
    assignments: np.ndarray  # theme index per sentence, -1 when unassigned
    k: int
    silhouette: float | None
    kept_existing: list[str] = field(default_factory=list)  # existing ids no cluster matched

    @property
    def unassigned_share(self) -> float:
        return float(np.mean(self.assignments < 0)) if len(self.assignments) else 0.0


def discover_themes(
    texts: list[str],
    embeddings: np.ndarray,
    *,
    seed: int = 0,
    min_size: int | None = None,
    k: int | None = None,
    min_themes: int = 8,
    max_themes: int = 20,
    merge_similarity: float = 0.8,
    merge_margin: float = 0.25,
    outlier_similarity: float = 0.2,
    existing: Codebook | None = None,
    encoder: Encoder | None = None,
    match_threshold: float = 0.5,
    n_examples: int = 5,
    n_keywords: int = 8,
    name: str = "discovered",
) -> Discovery:
    """Cluster ``texts`` (with unit-length ``embeddings``) into a draft codebook.

    ``encoder`` embeds the existing codebook's prototypes (needed with ``existing``).
    """
    vectors = _unit(np.asarray(embeddings, dtype=np.float64))
    n = len(texts)
    if n < 4:
        raise ValueError("theme discovery needs at least 4 sentences")
    # Filler-only sentences take part in nothing: not in clustering, not in key phrases.
    usable = np.array([not is_filler(text, STOP_WORDS, min_content_words=1) for text in texts])
    if usable.sum() < 4:
        usable[:] = True
    rows = np.flatnonzero(usable)
    min_size = min_size or max(3, round(0.01 * len(rows)))
    silhouette = None
    tree = ward_tree(vectors[rows])
    if k is None:
        k, silhouette, labels = choose_k(vectors[rows], seed=seed, min_size=min_size, min_themes=min_themes,
                                         max_themes=max_themes, tree=tree)
    else:
        k = max(1, min(k, len(rows)))
        labels = refined_clusters(vectors[rows], tree, k)
    labels = merge_near_duplicates(vectors[rows], labels, merge_similarity, merge_margin)
    labels = merge_same_terms([texts[i] for i in rows], labels)
    k_found = len(set(labels.tolist()))

    # Dissolve clusters below min_size into the nearest kept one.
    sizes = np.bincount(labels)
    kept = [c for c in range(len(sizes)) if sizes[c] >= min_size] or [int(np.argmax(sizes))]
    centroids = _unit(np.stack([vectors[rows][labels == c].mean(axis=0) for c in kept]))
    similarity = vectors @ centroids.T
    nearest = similarity.argmax(axis=1)
    best = similarity[np.arange(n), nearest]
    assignments = np.where((best >= outlier_similarity) & usable, nearest, -1)
    # Recompute centroids on the final members; order themes by size (then first member) for stable numbering.
    groups = [np.flatnonzero(assignments == c) for c in range(len(kept))]
    order = sorted((g for g in groups if len(g)), key=lambda g: (-len(g), int(g[0])))
    final = np.full(n, -1)
    for number, members in enumerate(order):
        final[members] = number
    centroids = _unit(np.stack([vectors[m].mean(axis=0) for m in order]))
    terms = class_tfidf_terms([[texts[i] for i in m] for m in order], top_n=max(n_keywords, 6))

    matches: dict[int, tuple[str, float]] = {}
    if existing is not None:
        if encoder is None:
            raise ValueError("matching an existing codebook needs an encoder for its prototypes")
        matches = match_existing(centroids, existing, encoder, match_threshold)

    used_ids = {theme.id for theme in existing.themes} if existing else set()
    next_number = _next_theme_number(used_ids)
    discovered: list[DiscoveredTheme] = []
    for number, members in enumerate(order):
        share = len(members) / n
        cohesion = float(np.mean(vectors[members] @ centroids[number]))
        if number in matches:
            theme_id, cosine = matches[number]
            old = existing.by_id[theme_id]
            theme = Theme(**{**old.__dict__, "notes": (
                f"matched existing theme (centroid cosine {cosine:.2f}); {len(members)} sentences ({share:.1%})")})
            if not theme.examples:
                theme.examples = representative_sentences(texts, vectors, members, centroids[number], n_examples)
        else:
            cosine = None
            theme_id = _theme_id(next_number, terms[number], used_ids)
            used_ids.add(theme_id)
            next_number += 1
            top = terms[number]
            theme = Theme(
                id=theme_id,
                label=_label(top),
                description="Draft theme found by discovery; sentences about " + _phrase_list(top[:5]) + ".",
                examples=representative_sentences(texts, vectors, members, centroids[number], n_examples),
                keywords=_keywords(top, n_keywords),
                notes=f"new cluster: {len(members)} sentences ({share:.1%}), cohesion {cohesion:.2f}; edit label,"
                      " description and keywords before applying",
            )
        discovered.append(DiscoveredTheme(theme=theme, size=len(members), members=members,
                                          centroid=centroids[number], terms=terms[number],
                                          matched=theme_id if cosine is not None else None,
                                          match_similarity=cosine))

    kept_existing = []
    if existing is not None:
        matched_ids = {d.matched for d in discovered if d.matched}
        for old in existing.themes:
            if old.id not in matched_ids:
                kept_existing.append(old.id)
        # Parents of matched themes must stay, so the draft validates; unmatched themes are kept too.
    themes = [d.theme for d in discovered]
    if existing is not None:
        for old_id in kept_existing:
            old = existing.by_id[old_id]
            themes.append(Theme(**{**old.__dict__, "notes": "existing theme; no cluster matched it in this data"}))
    codebook = Codebook(
        name=existing.name if existing else name,
        version=_bump(existing.version) if existing else "0.1",
        description=(existing.description if existing else None)
        or f"Draft codebook from theme discovery on {n} sentences (seed {seed}, k={k}).",
        themes=themes,
    )
    return Discovery(codebook=codebook, themes=discovered, assignments=final, k=k_found,
                     silhouette=silhouette, kept_existing=kept_existing)


def choose_k(vectors: np.ndarray, *, seed: int, min_size: int, min_themes: int = 8,
             max_themes: int = 20, tree: "WardTree | None" = None) -> tuple[int, float, np.ndarray]:
    """The k from ``min_themes`` to ``max_themes`` with the best silhouette, its score and its labels.

    The silhouette is cosine, on all sentences up to ``MAX_LINKAGE`` and on a sample of
    that many above it (``seed`` draws the sample: the only use of the seed).
    """
    from sklearn.metrics import silhouette_score

    n = len(vectors)
    tree = tree if tree is not None else ward_tree(vectors)
    upper = max(2, min(max_themes, n // max(min_size, 1), n - 1))
    lower = max(2, min(min_themes, upper))
    best: tuple[int, float, np.ndarray] | None = None
    for candidate in range(lower, upper + 1):
        labels = refined_clusters(vectors, tree, candidate)
        if len(set(labels.tolist())) < 2:
            continue
        score = float(silhouette_score(vectors, labels, metric="cosine", sample_size=min(n, MAX_LINKAGE),
                                       random_state=seed))
        if best is None or score > best[1] + 1e-9:
            best = (int(candidate), score, labels)
    if best is None:
        return lower, -1.0, refined_clusters(vectors, tree, lower)
    return best


@dataclass
class WardTree:
    """Ward's linkage over ``rows`` (indices into the vectors it was built from)."""

    linkage: np.ndarray
    rows: np.ndarray


def ward_tree(vectors: np.ndarray) -> WardTree:
    """Ward's linkage on at most ``MAX_LINKAGE`` evenly spaced vectors (deterministic)."""
    from scipy.cluster.hierarchy import linkage

    n = len(vectors)
    rows = np.unique(np.linspace(0, n - 1, min(n, MAX_LINKAGE)).astype(int))
    return WardTree(linkage=linkage(vectors[rows], method="ward"), rows=rows)


def refined_clusters(vectors: np.ndarray, tree: WardTree, k: int) -> np.ndarray:
    """Labels 0..k-1: the tree cut into ``k`` clusters, whose centroids KMeans refines on all vectors."""
    from scipy.cluster.hierarchy import fcluster
    from sklearn.cluster import KMeans

    k = max(1, min(k, len(tree.rows)))
    cut = fcluster(tree.linkage, k, criterion="maxclust") - 1
    members = vectors[tree.rows]
    starts = np.stack([members[cut == c].mean(axis=0) for c in np.unique(cut)])
    labels = KMeans(n_clusters=len(starts), init=starts, n_init=1).fit_predict(vectors)
    return np.unique(labels, return_inverse=True)[1]


def merge_same_terms(texts: list[str], labels: np.ndarray, top: int = 3, shared: int = 2) -> np.ndarray:
    """Merge clusters whose ``top`` key phrases share ``shared`` or more (the same label to a reader)."""
    labels = labels.copy()
    while True:
        ids = np.unique(labels)
        if len(ids) < 2:
            break
        terms = class_tfidf_terms([[texts[i] for i in np.flatnonzero(labels == c)] for c in ids], top_n=top)
        pair = next(((a, b) for a in range(len(ids)) for b in range(a + 1, len(ids))
                     if len(set(terms[a]) & set(terms[b])) >= shared), None)
        if pair is None:
            break
        labels[labels == ids[pair[1]]] = ids[pair[0]]
    return np.unique(labels, return_inverse=True)[1]


def merge_near_duplicates(vectors: np.ndarray, labels: np.ndarray, threshold: float,
                          margin: float = 0.25) -> np.ndarray:
    """Merge clusters whose centroids are near duplicates (closest pair first); labels 0..m-1.

    A pair is a near duplicate when its centroid cosine is at least ``threshold`` *and* at
    least ``margin`` above the median cosine between the first clusters' centroids: how
    alike two themes are only means something against how alike all themes of the data are.
    """
    labels = labels.copy()
    typical = None
    while True:
        ids = np.unique(labels)
        if len(ids) < 2:
            break
        centroids = _unit(np.stack([vectors[labels == c].mean(axis=0) for c in ids]))
        similarity = centroids @ centroids.T
        if typical is None:
            typical = float(np.median(similarity[np.triu_indices(len(ids), 1)]))
        np.fill_diagonal(similarity, -1.0)
        a, b = np.unravel_index(int(np.argmax(similarity)), similarity.shape)
        if similarity[a, b] < max(threshold, typical + margin):
            break
        labels[labels == ids[max(a, b)]] = ids[min(a, b)]
    return np.unique(labels, return_inverse=True)[1]


def class_tfidf_terms(groups: list[list[str]], top_n: int = 10) -> list[list[str]]:
    """Each group's most distinctive 1-2 word terms (class-based TF-IDF, as in BERTopic).

    A term's weight in a class is its frequency in the class (normalised by the class's
    length) times ``log(1 + A / f)``, where A is the average class length in words and f
    the term's frequency over all classes. A word already inside a higher-ranked bigram is skipped.
    """
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer

    # Count per sentence, then sum per class, so no n-gram spans two sentences.
    sentences = [text for group in groups for text in group]
    owner = np.repeat(np.arange(len(groups)), [len(group) for group in groups])
    vectorizer = CountVectorizer(ngram_range=(1, 2), stop_words=sorted(STOP_WORDS), min_df=1,
                                 token_pattern=r"(?u)\b[^\W\d_][\w']+\b")
    try:
        per_sentence = vectorizer.fit_transform(sentences)
    except ValueError:  # only stop words
        return [[] for _ in groups]
    membership = sparse.csr_matrix((np.ones(len(sentences)), (owner, np.arange(len(sentences)))),
                                   shape=(len(groups), len(sentences)))
    counts = (membership @ per_sentence).toarray().astype(float)
    vocabulary = vectorizer.get_feature_names_out()
    words_per_class = counts.sum(axis=1, keepdims=True)
    tf = counts / np.maximum(words_per_class, 1)
    average = counts.sum() / max(len(groups), 1)
    idf = np.log(1 + average / np.maximum(counts.sum(axis=0), 1))
    weights = tf * idf
    result = []
    for row in weights:
        chosen: list[str] = []
        for index in np.lexsort((vocabulary, -row)):  # weight desc, then alphabetical for ties
            if row[index] <= 0 or len(chosen) >= top_n:
                break
            term = str(vocabulary[index])
            words = term.split()
            if any(term in other.split() or (len(words) > 1 and set(words) == set(other.split())) for other in chosen):
                continue
            chosen.append(term)
        result.append(chosen)
    return result


def representative_sentences(texts: list[str], vectors: np.ndarray, members: np.ndarray, centroid: np.ndarray,
                             n: int) -> list[str]:
    """The ``n`` distinct member sentences closest to the centroid, preferring ones of 4+ words."""
    order = members[np.argsort(-(vectors[members] @ centroid), kind="stable")]
    chosen, seen = [], set()
    for pass_long in (True, False):
        for index in order:
            text = " ".join(texts[index].split())
            key = text.lower()
            if key in seen or (pass_long and len(text.split()) < 4):
                continue
            chosen.append(text)
            seen.add(key)
            if len(chosen) >= n:
                return chosen
    return chosen


def match_existing(centroids: np.ndarray, existing: Codebook, encoder: Encoder,
                   threshold: float) -> dict[int, tuple[str, float]]:
    """One-to-one matches cluster index -> (existing theme id, cosine) at or above ``threshold``."""
    from scipy.optimize import linear_sum_assignment

    theme_centroids = []
    for theme in existing.themes:
        prototypes = np.asarray(encoder(theme.prototypes()), dtype=np.float64)
        theme_centroids.append(_unit(prototypes.mean(axis=0, keepdims=True))[0])
    similarity = centroids @ np.stack(theme_centroids).T
    rows, columns = linear_sum_assignment(-similarity)
    return {int(r): (existing.themes[c].id, float(similarity[r, c]))
            for r, c in zip(rows, columns) if similarity[r, c] >= threshold}


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _theme_id(number: int, terms: list[str], used: set[str]) -> str:
    words: list[str] = []
    for term in terms:
        for word in _slug(term).split("-"):
            if word and word not in words:
                words.append(word)
        if len(words) >= 2:
            break
    base = f"t{number:02d}-" + ("-".join(words[:3]) or "misc")
    candidate, suffix = base, 2
    while candidate in used:
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate


def _next_theme_number(ids: set[str]) -> int:
    numbers = [int(m.group(1)) for i in ids if (m := re.match(r"t(\d+)-", i))]
    return max(numbers, default=0) + 1


def _label(terms: list[str]) -> str:
    if not terms:
        return "Miscellaneous"
    text = ", ".join(terms[:3])
    return text[0].upper() + text[1:]


def _phrase_list(terms: list[str]) -> str:
    if not terms:
        return "no distinctive words"
    return terms[0] if len(terms) == 1 else ", ".join(terms[:-1]) + " and " + terms[-1]


def _keywords(terms: list[str], n: int) -> list[str]:
    return [term for term in terms[:n]]


def _bump(version: str) -> str:
    """'1.2' -> '1.3-draft' style: a draft made from an existing codebook gets a new version."""
    return version if version.endswith("-draft") else f"{version}-draft"
