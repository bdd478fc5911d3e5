import ACSearchAPI
import ACSearchIndexer
import ACSearchTestSupport
import Foundation
import XCTest

/// What the real `acsearch-index` may delete, where it may write, and what it may read:
/// nothing is lost for a root it could not read, no unsafe --db is written, no link
/// leads it outside its folders.
final class SourceSafetyTests: XCTestCase {
    let binary = Checkout.executable("acsearch-index")

    func index(_ arguments: [String], directory: String? = nil, as user: [String] = []) throws -> ProcessResult {
        let command = user + [binary] + arguments
        return try Run.process(command[0], Array(command.dropFirst()), environment: ["ACSEARCH_DATA": Checkout.indexDirectory],
                               directory: directory)
    }

    func documentCount(_ db: String) throws -> Int { try Fixtures.ids(db, "").count }

    func testAMissingRootKeepsItsDocumentsAndExits66() throws {
        let tree = TemporaryDirectory("safe")
        tree.write("inbox/a.txt", "Alpha\nAlpha inspection")
        tree.write("inbox/b.md", "---\ntitle: Beta\n---\nBeta inspection")
        tree.write("docs/c.txt", "Gamma\nGamma inspection")
        let db = tree.child("db")
        XCTAssertEqual(try index(["--db", db, tree.child("inbox"), tree.child("docs")]).status, 0)
        XCTAssertEqual(try documentCount(db), 3)

        // The inbox is gone (a share not mounted, a folder renamed): nothing of it is deleted.
        try FileManager.default.moveItem(atPath: tree.child("inbox"), toPath: tree.child("away"))
        tree.write("docs/d.txt", "Delta\nDelta inspection")
        let missing = try index(["--db", db, "--json", tree.child("inbox"), tree.child("docs")])
        XCTAssertEqual(missing.status, 66, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("unavailable \(tree.child("inbox"))"), missing.stderr)
        XCTAssertTrue(missing.stderr.contains("2 documents in the index are kept"), missing.stderr)
        let summary = try JSONDecoder.snakeCase.decode(IndexSummary.self, from: Data(missing.stdout.utf8))
        XCTAssertEqual(summary.deleted, 0)
        XCTAssertEqual(summary.added, 1, "the root that was read is indexed as ever")
        XCTAssertEqual(Set(try Fixtures.ids(db, "")), ["a.txt", "b.md", "c.txt", "d.txt"])

        // A file named directly that is missing is unavailable too.
        let named = try index(["--db", db, tree.child("docs/nothing.txt")])
        XCTAssertEqual(named.status, 66, named.stderr)

        // Back again: the run is clean, and a file really deleted from a root that was read goes.
        try FileManager.default.moveItem(atPath: tree.child("away"), toPath: tree.child("inbox"))
        try FileManager.default.removeItem(atPath: tree.child("inbox/a.txt"))
        let back = try index(["--db", db, tree.child("inbox"), tree.child("docs")])
        XCTAssertEqual(back.status, 0, back.stderr)
        XCTAssertEqual(Set(try Fixtures.ids(db, "")), ["b.md", "c.txt", "d.txt"])
    }

    func testAFolderThatCannotBeListedKeepsItsDocuments() throws {
        guard getuid() == 0 else { throw XCTSkip("runs the indexer as nobody, which needs root") }
        let tree = TemporaryDirectory("safe")
        tree.write("src/top.txt", "Top\nTop inspection")
        tree.write("src/locked/inner.txt", "Inner\nInner inspection")
        tree.write("src/locked/deep/more.txt", "More\nMore inspection")
        let db = tree.child("db")
        XCTAssertEqual(try Run.process("/bin/chown", ["-R", "nobody:nogroup", tree.path]).status, 0)
        let nobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
        let first = try index(["--db", db, tree.child("src")], as: nobody)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(try documentCount(db), 3)

        XCTAssertEqual(chmod(tree.child("src/locked"), 0), 0)
        defer { chmod(tree.child("src/locked"), 0o755) }
        let locked = try index(["--db", db, tree.child("src")], as: nobody)
        XCTAssertEqual(locked.status, 66, locked.stderr)
        XCTAssertTrue(locked.stderr.contains("unavailable \(tree.child("src/locked")): cannot list the folder: Permission denied"),
                      locked.stderr)
        XCTAssertTrue(locked.stderr.contains("0 deleted"), locked.stderr)
        XCTAssertEqual(Set(try Fixtures.ids(db, "")), ["top.txt", "locked/inner.txt", "locked/deep/more.txt"])
    }

    func testAnUnmountedRootKeepsItsDocuments() throws {
        guard getuid() == 0 else { throw XCTSkip("mounting a tmpfs needs root") }
        let tree = TemporaryDirectory("safe")
        let mountPoint = tree.child("share")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mounted = try Run.process("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint])
        guard mounted.status == 0 else { throw XCTSkip("cannot mount a tmpfs here: \(mounted.stderr)") }
        var isMounted = true
        defer { if isMounted { _ = try? Run.process("/bin/umount", ["-l", mountPoint]) } }
        tree.write("share/a.txt", "Alpha\nAlpha inspection")
        tree.write("share/b.txt", "Beta\nBeta inspection")
        let db = tree.child("db")
        XCTAssertEqual(try index(["--db", db, mountPoint]).status, 0)
        XCTAssertEqual(try documentCount(db), 2)

        XCTAssertEqual(try Run.process("/bin/umount", [mountPoint]).status, 0)
        isMounted = false
        let unmounted = try index(["--db", db, mountPoint])
        XCTAssertEqual(unmounted.status, 66, unmounted.stderr)
        XCTAssertTrue(unmounted.stderr.contains("is its file system unmounted?"), unmounted.stderr)
        XCTAssertEqual(Set(try Fixtures.ids(db, "")), ["a.txt", "b.txt"])
    }

    func testUnsafeIndexFoldersAreRefusedBeforeAnythingIsWritten() throws {
        let tree = TemporaryDirectory("safe")
        tree.write("work/notes.txt", "Notes\nsomeone's notes")
        tree.write("work/report.md", "Report\nsomeone's report")
        tree.write("src/a.txt", "Alpha\nAlpha inspection")
        let before = try FileManager.default.contentsOfDirectory(atPath: "/").sorted()
        let cases: [(db: String, directory: String?, says: String)] = [
            ("", tree.child("work"), "--db is empty"),
            ("/", nil, "the root of the file system"),
            ("//.", nil, "the root of the file system"),
            (tree.child("work"), nil, "holds no index but other files (2: \"notes.txt\", \"report.md\")"),
            (".", tree.child("work"), "holds no index but other files"),
            (tree.child("work/notes.txt"), nil, "is a file, not a folder"),
            (tree.child("src/db"), nil, "is inside \(tree.child("src")), which is being indexed"),
            (tree.path, nil, "holds no index but other files"),
        ]
        for (db, directory, says) in cases {
            let run = try index(["--db", db, tree.child("src")], directory: directory)
            XCTAssertEqual(run.status, 64, "--db '\(db)': \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(says), "--db '\(db)': \(run.stderr)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tree.child("work")).sorted(), ["notes.txt", "report.md"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: tree.child("src/db")))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: "/").sorted(), before)

        // An empty folder (a mount point made for it) and an existing index are fine.
        try FileManager.default.createDirectory(atPath: tree.child("empty"), withIntermediateDirectories: true)
        XCTAssertEqual(try index(["--db", tree.child("empty"), tree.child("src")]).status, 0)
        XCTAssertEqual(try index(["--db", tree.child("empty"), tree.child("src")]).status, 0)
    }

    func testLinksOutsideTheRootsAreNotFollowed() throws {
        let tree = TemporaryDirectory("safe")
        tree.write("inbox/report.txt", "Report\nA numbat inspection report")
        tree.write("docs/shared.txt", "Shared\nA wombat inspection, shared")
        tree.write("secret/plan.txt", "Plan\nA quokka plan nobody may read")
        let inbox = tree.child("inbox"), docs = tree.child("docs")
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: inbox + "/passwd.txt", withDestinationPath: "/etc/passwd")
        try manager.createSymbolicLink(atPath: inbox + "/secret", withDestinationPath: tree.child("secret"))
        try manager.createSymbolicLink(atPath: inbox + "/sneaky.txt", withDestinationPath: "../secret/plan.txt")
        // Inside the roots: followed.
        try manager.createSymbolicLink(atPath: inbox + "/linked.txt", withDestinationPath: docs + "/shared.txt")
        try manager.createSymbolicLink(atPath: inbox + "/again.txt", withDestinationPath: "report.txt")
        let db = tree.child("db")
        let run = try index(["--db", db, "--json", inbox, docs])
        XCTAssertEqual(run.status, 0, run.stderr)
        for name in ["passwd.txt", "secret", "sneaky.txt"] {
            XCTAssertTrue(run.stderr.contains("skipped \(inbox)/\(name): symbolic link to "), run.stderr)
        }
        XCTAssertTrue(run.stderr.contains("/etc/passwd, outside the folders being indexed: not followed"), run.stderr)
        XCTAssertEqual(Set(try Fixtures.ids(db, "")), ["report.txt", "again.txt", "linked.txt", "shared.txt"])

        // What a member of the socket's group would see through the daemon.
        let daemon = try DaemonProcess(arguments: ["--db", db])
        defer { XCTAssertEqual(daemon.stop(), 0) }
        for query in ["root", "nologin", "quokka"] {
            let answer = try daemon.json("/v1/search?q=\(query)")
            XCTAssertEqual(answer.status, 200)
            XCTAssertEqual((answer.object["hits"] as? [[String: Any]])?.count, 0, "\(query): \(answer.object)")
        }
        let wombat = try daemon.json("/v1/search?q=wombat")
        XCTAssertEqual((wombat.object["hits"] as? [[String: Any]])?.count, 2, "the link inside the roots is read")
    }

    func testDocumentsOfALinkIndexedBeforeLinksWereCheckedAreDeleted() throws {
        // An index made by an indexer that followed every link holds the file; a
        // stored state is all that is needed to show the link is now refused.
        let tree = TemporaryDirectory("safe")
        tree.write("inbox/report.txt", "Report\nA numbat inspection report")
        tree.write("outside/plan.txt", "Plan\nA quokka plan")
        let db = tree.child("db")
        XCTAssertEqual(try index(["--db", db, tree.child("inbox"), tree.child("outside")]).status, 0)
        try FileManager.default.removeItem(atPath: tree.child("outside/plan.txt"))
        try FileManager.default.createSymbolicLink(atPath: tree.child("outside/plan.txt"), withDestinationPath: "/etc/passwd")
        let run = try index(["--db", db, tree.child("inbox"), tree.child("outside")])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("1 deleted"), run.stderr)
        XCTAssertEqual(try Fixtures.ids(db, ""), ["report.txt"])
    }
}
