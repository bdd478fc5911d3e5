"""Tests of the judged relevance set (index/eval/) and of scripts/relevance's
metrics and guard. Run by scripts/test: python3 -m unittest scripts/test_relevance.py"""
import importlib.machinery
import importlib.util
import json
import os
import shutil
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
_loader = importlib.machinery.SourceFileLoader("relevance", os.path.join(HERE, "relevance"))
_spec = importlib.util.spec_from_loader("relevance", _loader)
relevance = importlib.util.module_from_spec(_spec)
_loader.exec_module(relevance)


class TheSet(unittest.TestCase):
    def test_the_set_is_well_formed(self):
        documents, queries, qrels, problems = relevance.load_set()
        self.assertEqual(problems, [])
        self.assertGreaterEqual(len(documents), 150)
        self.assertGreaterEqual(len(queries), 60)
        for qid in queries:
            self.assertTrue(any(grade > 0 for grade in qrels[qid].values()), qid)
        languages = {document["lang"] for document in documents.values()}
        self.assertEqual(languages, {"vi", "en"})
        self.assertEqual({query["class"] for query in queries.values()}, set(relevance.CLASSES))
        self.assertTrue({query["lang"] for query in queries.values()} >= {"vi", "any"})

    def test_every_class_has_queries_enough_to_average(self):
        _, queries, _, _ = relevance.load_set()
        for kind in relevance.CLASSES:
            self.assertGreaterEqual(sum(1 for q in queries.values() if q["class"] == kind), 8, kind)


class ABrokenSet(unittest.TestCase):
    """The check must catch what would make the figures wrong."""

    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="relevance-test-")
        shutil.copytree(relevance.EVAL, self.folder, dirs_exist_ok=True)

    def tearDown(self):
        shutil.rmtree(self.folder)

    def problems(self):
        return "\n".join(relevance.load_set(self.folder)[3])

    def test_a_judgment_of_a_document_that_is_not_there(self):
        with open(os.path.join(self.folder, "qrels.txt"), "a") as qrels:
            qrels.write("C01 0 no-such-document 3\n")
        self.assertIn("C01 judges no-such-document, which is not a document of the set", self.problems())

    def test_a_query_with_no_relevant_document(self):
        path = os.path.join(self.folder, "qrels.txt")
        kept = [line for line in open(path) if not line.startswith("P12 ")]
        open(path, "w").writelines(kept)
        self.assertIn("P12 (Thái Bình) has no relevant document", self.problems())

    def test_a_judgment_of_a_query_that_is_not_there_and_a_bad_grade(self):
        with open(os.path.join(self.folder, "qrels.txt"), "a") as qrels:
            qrels.write("Z99 0 reg-01 2\nC01 0 reg-01 4\n")
        problems = self.problems()
        self.assertIn("Z99 is not a query", problems)
        self.assertIn("with a grade 0-3", problems)

    def test_an_id_used_twice(self):
        path = os.path.join(self.folder, "documents", "regulations.jsonl")
        first = open(path).readline()
        with open(path, "a") as records:
            records.write(first)
        self.assertIn("id reg-01 is used twice", self.problems())

    def test_too_few_queries(self):
        path = os.path.join(self.folder, "queries.tsv")
        lines = open(path).readlines()
        open(path, "w").writelines(lines[:30])
        problems = self.problems()
        self.assertIn("29 queries, fewer than 60", problems)
        self.assertIn("is not a query", problems)  # the judgments of the queries taken out

    def test_an_unknown_class(self):
        path = os.path.join(self.folder, "queries.tsv")
        lines = open(path).readlines()
        lines[1] = lines[1].replace("\tcompound\t", "\tcompounds\t")
        open(path, "w").writelines(lines)
        self.assertIn("class 'compounds' is none of", self.problems())


class Metrics(unittest.TestCase):
    def test_ndcg_is_one_for_the_ideal_ranking_and_less_otherwise(self):
        judged = {"a": 3, "b": 2, "c": 1}
        self.assertAlmostEqual(relevance.ndcg(["a", "b", "c"], judged), 1.0)
        self.assertLess(relevance.ndcg(["c", "b", "a"], judged), 1.0)
        self.assertEqual(relevance.ndcg(["x", "y"], judged), 0.0)

    def test_ndcg_by_hand(self):
        # Gains 2^g - 1 over log2(rank + 1): (0 + 7/log2(3)) / (7 + 0) for one relevant at rank 2.
        self.assertAlmostEqual(relevance.ndcg(["x", "a"], {"a": 3}), 1 / 1.5849625007, places=6)

    def test_ndcg_counts_only_the_first_ten(self):
        ranked = [f"x{n}" for n in range(10)] + ["a"]
        self.assertEqual(relevance.ndcg(ranked, {"a": 3}), 0.0)

    def test_reciprocal_rank(self):
        self.assertEqual(relevance.reciprocal_rank(["x", "y", "a"], {"a": 1, "x": 0}), 1 / 3)
        self.assertEqual(relevance.reciprocal_rank(["x"], {"a": 1}), 0.0)


class Comparison(unittest.TestCase):
    def test_a_query_whose_ranking_changed_is_reported_with_its_change(self):
        queries = {"A1": {"class": "compound", "lang": "vi", "text": "điều tra"},
                   "A2": {"class": "number", "lang": "any", "text": "67-QD/TW"}}
        qrels = {"A1": {"good": 3}, "A2": {"reg": 3}}
        earlier = {"results": {"acsearch": {"A1": ["bad", "good"], "A2": ["reg"]}}}
        ranked = {"A1": ["good", "bad"], "A2": ["reg"]}
        ours = {qid: (relevance.ndcg(ranked[qid], qrels[qid]), relevance.reciprocal_rank(ranked[qid], qrels[qid]))
                for qid in queries}
        text = "\n".join(relevance.comparison(earlier, ours, ranked, queries, qrels))
        self.assertIn("1 queries moved", text)
        self.assertIn("| A1 `điều tra` | compound | 0.631 → 1.000 (+0.369)", text)
        self.assertNotIn("| A2 ", text)
        self.assertIn("| compound (1) | 0.631 → 1.000 (+0.369) | 0.500 → 1.000 (+0.500) |", text)


class Guard(unittest.TestCase):
    def test_the_guard_fails_below_a_floor_and_passes_at_it(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump({"acsearch_ndcg10_at_least": {"all": 0.7, "date": 0.3}}, handle)
        try:
            rows = {"all": (0.7, 0.9, 84), "date": (0.29, 0.5, 10)}
            self.assertEqual(relevance.guard(rows, handle.name), 1)
            rows["date"] = (0.3, 0.5, 10)
            self.assertEqual(relevance.guard(rows, handle.name), 0)
        finally:
            os.remove(handle.name)

    def test_the_recorded_floors_name_known_classes(self):
        floors = json.load(open(os.path.join(relevance.EVAL, "guard.json")))["acsearch_ndcg10_at_least"]
        self.assertEqual(set(floors), {"all", *relevance.CLASSES})


if __name__ == "__main__":
    unittest.main()
