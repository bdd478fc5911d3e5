#!/usr/bin/env python3
"""The web page in a real browser: Debian's Chromium, driven by selenium.

Indexes the sample corpus and one hostile document with the real acsearch-index,
starts the real acsearchd on a private Unix socket, bridges a loopback TCP port to
that socket (browsers speak TCP), and clicks through the page as a person would:
search, a facet, a timeline bar, a document, a citation, the export, the language
switch, the back button; with the script and without it. The hostile document's
title is a <script>: the page must show it as text and run nothing.

    python3 -m unittest -v scripts/test_web.py          # what scripts/test runs
    scripts/test_web.py --screenshots docs/web          # also writes the PNGs of docs/web.md

ACSEARCH_BIN names the folder of the binaries (default .build/debug).
"""
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("ACSEARCH_BIN", os.path.join(ROOT, ".build", "debug"))
SCREENSHOTS = None  # a folder, when asked for on the command line

HOSTILE_TITLE = '<script>window.pwned = "title"</script> Zirconium <b>bold</b>'
HOSTILE = [
    {"id": "hostile/<img src=x onerror=window.pwned=1>.md", "kind": "regulation", "title": HOSTILE_TITLE,
     "body": 'Zirconium </textarea><script>window.pwned = "body"</script><img src=x onerror="window.pwned=2"> mine.',
     "date": "2023-04-05", "number": "98-QĐ/TW", "issuer": '<img src=x onerror="window.pwned=3">',
     "url": "javascript:window.pwned=4", "extra": '"><svg onload="window.pwned=5">'},
    {"id": "hostile/citing.md", "kind": "press", "title": "Zirconium follow-up",
     "body": "The press item cites Regulation 98-QĐ/TW on zirconium.", "date": "2024-01-02",
     "issuer": "O'Brien & Co"},
]


class Bridge:
    """A loopback TCP port whose connections are relayed to a Unix socket."""

    def __init__(self, path):
        self.path = path
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.running = True
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                upstream.connect(self.path)
            except OSError:
                client.close()
                continue
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pump, args=(source, target), daemon=True).start()

    @staticmethod
    def pump(source, target):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self.running = False
        self.listener.close()


def start_daemon(work):
    """The real acsearchd over a fresh index, once it says READY=1 (sd_notify)."""
    corpus = os.path.join(work, "corpus")
    shutil.copytree(os.path.join(ROOT, "index", "corpus"), corpus)
    with open(os.path.join(corpus, "hostile.jsonl"), "w", encoding="utf-8") as out:
        for record in HOSTILE:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    db = os.path.join(work, "db")
    subprocess.run([os.path.join(BIN, "acsearch-index"), "--db", db, "--data", os.path.join(ROOT, "index"), corpus],
                   check=True, stdout=subprocess.DEVNULL)
    notify_path = os.path.join(work, "notify.sock")
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(notify_path)
    notify.settimeout(30)
    sock = os.path.join(work, "acsearch.sock")
    env = dict(os.environ, NOTIFY_SOCKET=notify_path)
    log = open(os.path.join(work, "acsearchd.log"), "w")
    daemon = subprocess.Popen([os.path.join(BIN, "acsearchd"), "--db", db, "--data", os.path.join(ROOT, "index"),
                               "--socket", sock], env=env, stderr=log, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        message = notify.recv(4096).decode()
        if "READY=1" in message:
            break
    else:
        daemon.kill()
        raise RuntimeError("acsearchd did not become ready")
    notify.close()
    return daemon, sock


def browser(downloads, javascript=True):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1100,850", "--hide-scrollbars", "--lang=en-US"):
        options.add_argument(argument)
    prefs = {"download.default_directory": downloads, "download.prompt_for_download": False,
             "intl.accept_languages": "en-US,en"}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    driver.set_page_load_timeout(30)
    return driver


class WebPageInABrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="acweb-", dir="/tmp")
        cls.daemon, cls.socket = start_daemon(cls.work)
        cls.bridge = Bridge(cls.socket)
        cls.base = "http://127.0.0.1:%d" % cls.bridge.port
        cls.downloads = os.path.join(cls.work, "downloads")
        os.makedirs(cls.downloads)
        cls.driver = browser(cls.downloads)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        cls.bridge.close()
        cls.daemon.terminate()
        cls.daemon.wait(timeout=30)
        shutil.rmtree(cls.work, ignore_errors=True)

    def setUp(self):
        self.driver.get_log("browser")  # what earlier tests logged is theirs

    def tearDown(self):
        # No page may be refused anything by its own CSP, nor fail a script.
        problems = [entry["message"] for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"]
        self.assertEqual(problems, [], "the browser's console")
        self.assertFalse(self.pwned(), "a document's text ran as script")

    def pwned(self):
        try:
            self.driver.switch_to.alert
            return True
        except NoAlertPresentException:
            pass
        return self.driver.execute_script("return window.pwned !== undefined")

    def wait(self, condition, timeout=10):
        return WebDriverWait(self.driver, timeout).until(condition)

    def query(self):
        return urllib.parse.parse_qs(urllib.parse.urlsplit(self.driver.current_url).query)

    def search(self, text):
        self.driver.get(self.base + "/")
        box = self.driver.find_element(By.ID, "q")
        box.clear()
        box.send_keys(text)
        box.send_keys(Keys.ENTER)
        # The home page has a summary too: wait for the page of this search.
        self.wait(lambda driver: self.query().get("q") == [text])
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "p.summary, p.error")))

    def hits(self):
        return self.driver.find_elements(By.CSS_SELECTOR, "li.hit")

    def shoot(self, name):
        if SCREENSHOTS:
            self.driver.save_screenshot(os.path.join(SCREENSHOTS, name + ".png"))

    def test_1_search_shows_highlighted_results_facets_and_timeline(self):
        self.search("Hai Duong inspections")
        self.assertEqual(self.query()["q"], ["Hai Duong inspections"])
        titles = [hit.find_element(By.TAG_NAME, "h3").text for hit in self.hits()]
        self.assertIn("Hai Duong inspectors recover billions after a year of anti-corruption inspections", titles)
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, "li.hit .snippet mark"), "highlighted snippets")
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, ".timeline a.bar"))
        sections = [section.get_attribute("data-facet") for section in self.driver.find_elements(By.CSS_SELECTOR, "section.facet")]
        self.assertEqual(sections, ["kind", "province", "year", "issuer", "lang"])
        self.shoot("results")

    def test_2_a_facet_refines_and_the_back_button_undoes_it(self):
        self.search("thanh tra")
        before = len(self.hits())
        link = self.driver.find_element(By.XPATH, "//section[@data-facet='kind']//a[text()='inspection conclusion']")
        link.click()
        self.wait(lambda driver: "kind" in self.query())
        self.assertEqual(self.query()["kind"], ["conclusion"])
        kinds = {hit.find_element(By.CSS_SELECTOR, ".kind").text for hit in self.hits()}
        self.assertEqual(kinds, {"inspection conclusion"})
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, ".chips .remove"))
        self.driver.back()
        self.wait(lambda driver: "kind" not in self.query())
        self.assertEqual(len(self.hits()), before)

    def test_3_a_timeline_bar_keeps_its_dates(self):
        self.search("tham nhũng")
        bars = [bar for bar in self.driver.find_elements(By.CSS_SELECTOR, ".timeline a.bar")
                if not bar.find_element(By.TAG_NAME, "title").get_attribute("textContent").endswith(": 0")]
        bar = bars[len(bars) // 2]
        start, end = bar.get_attribute("data-from"), bar.get_attribute("data-to")
        bar.find_element(By.CSS_SELECTOR, "rect.fill").click()
        self.wait(lambda driver: "from" in self.query())
        self.assertEqual((self.query()["from"], self.query()["to"]), ([start], [end]))
        dates = [hit.find_element(By.TAG_NAME, "time").text for hit in self.hits()]
        self.assertTrue(dates)
        self.assertTrue(all(date[:len(start)] >= start and date[:len(end)] <= end for date in dates), (start, end, dates))
        self.shoot("timeline")

    def test_4_shift_click_selects_a_range_of_bars(self):
        self.search("tham nhũng")
        bars = self.driver.find_elements(By.CSS_SELECTOR, ".timeline a.bar")
        first, last = bars[0], bars[-1]
        expected = ([first.get_attribute("data-from")], [last.get_attribute("data-to")])
        ActionChains(self.driver).key_down(Keys.SHIFT).click(first.find_element(By.CSS_SELECTOR, "rect.hit")) \
            .key_up(Keys.SHIFT).perform()
        self.assertIn("start", first.get_attribute("class"))
        last.find_element(By.CSS_SELECTOR, "rect.hit").click()
        self.wait(lambda driver: "from" in self.query())
        self.assertEqual((self.query()["from"], self.query()["to"]), expected)

    def test_5_a_document_and_its_citations_both_ways(self):
        self.search("number:67-QĐ/TW")
        self.hits()[0].find_element(By.CSS_SELECTOR, "h3 a").click()
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "main.document h1")))
        self.assertIn("67-QĐ/TW", self.driver.find_element(By.TAG_NAME, "h1").text)
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, ".similar li a"), "similar documents")
        self.shoot("document")
        citing = self.driver.find_element(By.CSS_SELECTOR, ".cited-by li a")
        title = citing.text
        citing.click()
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, ".cites li a")))
        self.assertTrue(self.driver.find_element(By.TAG_NAME, "h1").text.startswith(title.rstrip("…")[:20]))
        back = [link for link in self.driver.find_elements(By.CSS_SELECTOR, ".cites li a") if "67-QĐ/TW" in link.text]
        self.assertTrue(back, "the citing document links back to the one it cites")
        back[0].click()
        self.wait(lambda driver: "67-QĐ/TW" in driver.find_element(By.TAG_NAME, "h1").text)

    def test_6_the_export_link_downloads_every_match_as_csv(self):
        self.search("Hai Duong")
        total = int(self.driver.find_element(By.CSS_SELECTOR, "p.summary strong").text)
        self.driver.find_element(By.CSS_SELECTOR, "a.export").click()
        path = os.path.join(self.downloads, "acsearch.csv")
        deadline = time.monotonic() + 20
        while not os.path.exists(path) and time.monotonic() < deadline:
            time.sleep(0.1)
        with open(path, encoding="utf-8", newline="") as handle:
            rows = handle.read().split("\r\n")
        self.assertEqual(rows[0], "id,kind,date,number,issuer,provinces,title,url")
        self.assertEqual(len([row for row in rows[1:] if row]), total)

    def test_7_a_script_title_is_text_and_runs_nothing(self):
        self.search("zirconium")
        titles = [hit.find_element(By.TAG_NAME, "h3").text for hit in self.hits()]
        self.assertIn(HOSTILE_TITLE, titles)
        self.driver.find_element(By.XPATH, "//li[@class='hit']//a[starts-with(text(), '<script>')]").click()
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "main.document h1")))
        self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, HOSTILE_TITLE)
        self.assertEqual(self.driver.title, HOSTILE_TITLE + " · acsearch")
        self.assertIn("javascript:window.pwned=4", self.driver.find_element(By.CSS_SELECTOR, ".metadata").text)
        self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, "a[href^='javascript']"))
        self.assertEqual(len(self.driver.find_elements(By.TAG_NAME, "script")), 1)

    def test_8_vietnamese_by_the_switch_and_back(self):
        self.search("thanh tra đất đai")
        self.driver.find_element(By.CSS_SELECTOR, "a.switch").click()
        self.wait(lambda driver: driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi")
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, "form.search button").text, "Tìm")
        self.assertIn("văn bản khớp", self.driver.find_element(By.CSS_SELECTOR, "p.summary").text)
        self.shoot("vietnamese")
        self.driver.back()
        self.wait(lambda driver: driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")

    def test_9_suggestions_come_from_the_script(self):
        self.driver.get(self.base + "/")
        self.driver.find_element(By.TAG_NAME, "body").send_keys("/")
        self.assertEqual(self.driver.switch_to.active_element.get_attribute("id"), "q")
        self.driver.switch_to.active_element.send_keys("insp")
        self.wait(lambda driver: driver.find_elements(By.CSS_SELECTOR, "#suggestions option"))
        values = [option.get_attribute("value") for option in self.driver.find_elements(By.CSS_SELECTOR, "#suggestions option")]
        self.assertTrue(all(value.startswith("insp") for value in values), values)

    def test_watches_list_new_matches_and_reading_them_here_marks_nothing(self):
        acsearch = os.path.join(BIN, "acsearch")
        # The results page offers the command that saves its search as a watch; run as offered.
        self.driver.get(self.base + "/?" + urllib.parse.urlencode(
            {"q": "molybdenum OR \"<script>window.pwned=6</script>\"", "kind": "conclusion"}))
        self.driver.find_element(By.CSS_SELECTOR, "details.watch-this summary").click()
        command = shlex.split(self.driver.find_element(By.CSS_SELECTOR, "details.watch-this code").text)
        self.assertEqual(command[:4], ["acsearch", "watch", "add", "NAME"], command)
        self.assertIn("--kind", command)
        subprocess.run([acsearch, "--socket", self.socket, "watch", "add", "moly"] + command[4:],
                       check=True, stdout=subprocess.DEVNULL)
        # A new conclusion that matches, and a press item that does not, indexed by the real indexer.
        corpus = os.path.join(self.work, "corpus")
        with open(os.path.join(corpus, "molybdenum.jsonl"), "w", encoding="utf-8") as out:
            for record in ({"id": "moly/conclusion", "kind": "conclusion", "title": "Molybdenum licences concluded",
                            "body": "The inspectorate concluded that molybdenum licences were granted unlawfully.",
                            "date": "2024-03-04"},
                           {"id": "moly/press", "kind": "press", "title": "Molybdenum in the news",
                            "body": "A press item about molybdenum prices.", "date": "2024-03-05"}):
                out.write(json.dumps(record) + "\n")
        subprocess.run([os.path.join(BIN, "acsearch-index"), "--db", os.path.join(self.work, "db"),
                        "--data", os.path.join(ROOT, "index"), corpus], check=True, stdout=subprocess.DEVNULL)

        self.driver.get(self.base + "/")
        self.driver.find_element(By.CSS_SELECTOR, "a.nav-watches").click()
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "table.watch-list")))
        row = self.driver.find_element(By.XPATH, "//table[@class='watch-list']//tr[td/a[text()='moly']]")
        self.assertEqual(row.find_element(By.CSS_SELECTOR, "td.unread").text, "1")
        # The watch's query is the user's text, shown as text.
        self.assertIn("<script>", row.find_element(By.CSS_SELECTOR, "a.run").text)
        self.shoot("watches")
        row.find_element(By.CSS_SELECTOR, "a.watch").click()
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "main.watch")))
        links = self.driver.find_elements(By.CSS_SELECTOR, "ol.watch-matches li a")
        self.assertEqual([link.text for link in links], ["Molybdenum licences concluded"])
        links[0].click()
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "main.document .body")))
        self.assertIn("molybdenum", [mark.text.lower() for mark in self.driver.find_elements(By.CSS_SELECTOR, ".body mark")])
        # Seen on the page, still unread: a GET changes nothing. The CLI reads and marks them.
        self.driver.back()
        self.driver.refresh()
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, "strong.unread").text, "1")
        shown = subprocess.run([acsearch, "--socket", self.socket, "watch", "show", "moly"], check=True,
                               capture_output=True, text=True).stdout
        self.assertIn("Molybdenum licences concluded", shown)
        self.driver.refresh()
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, "strong.unread").text, "0")
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "ol.watch-matches li"), [])
        # The page's "run this search" link is the watch's search.
        self.driver.find_element(By.CSS_SELECTOR, "main.watch a.run").click()
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "p.summary")))
        self.assertEqual(self.query().get("kind"), ["conclusion"])
        self.assertEqual([hit.find_element(By.CSS_SELECTOR, "h3 a").text for hit in self.hits()],
                         ["Molybdenum licences concluded"])


class WebPageWithoutJavaScript(unittest.TestCase):
    def test_search_facet_and_document_work_without_a_script(self):
        work = tempfile.mkdtemp(prefix="acweb-nojs-", dir="/tmp")
        daemon, path = start_daemon(work)
        bridge = Bridge(path)
        driver = browser(work, javascript=False)
        try:
            base = "http://127.0.0.1:%d" % bridge.port
            driver.get(base + "/")
            box = driver.find_element(By.ID, "q")
            box.send_keys("Hai Duong")
            driver.find_element(By.CSS_SELECTOR, "form.search button").click()
            WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "li.hit")))
            driver.find_element(By.XPATH, "//section[@data-facet='kind']//a[text()='press item']").click()
            WebDriverWait(driver, 10).until(lambda d: "kind=press" in d.current_url)
            self.assertEqual({e.text for e in driver.find_elements(By.CSS_SELECTOR, "li.hit .kind")}, {"press item"})
            driver.find_element(By.CSS_SELECTOR, ".timeline a.bar rect.hit").click()
            WebDriverWait(driver, 10).until(lambda d: "from=" in d.current_url)
            driver.find_element(By.CSS_SELECTOR, "li.hit h3 a").click()
            WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "main.document .body")))
            self.assertTrue(driver.find_elements(By.CSS_SELECTOR, ".body mark"), "the query's words marked in the text")
        finally:
            driver.quit()
            bridge.close()
            daemon.terminate()
            daemon.wait(timeout=30)
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if "--screenshots" in sys.argv:
        index = sys.argv.index("--screenshots")
        SCREENSHOTS = os.path.abspath(sys.argv[index + 1])
        os.makedirs(SCREENSHOTS, exist_ok=True)
        del sys.argv[index:index + 2]
    unittest.main(verbosity=2)
