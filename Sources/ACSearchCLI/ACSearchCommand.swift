import ACSearchAPI
import ArgumentParser

/// `acsearch`: the root only configures; `search` is the default command, so
/// `acsearch "Hai Duong inspections"` searches. The connection options are read at
/// the root, before or after the command's name (`acsearch --socket S status`, as
/// git and systemctl take theirs), and every command sees the same values: swift-
/// argument-parser hands an `@OptionGroup` decoded by a parent to its children.
public struct ACSearchCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "acsearch",
        abstract: "Search what was decided, concluded and reported in Vietnam's fight against corruption.",
        discussion: """
        Asks acsearchd over its Unix socket: --socket, else $ACSEARCH_SOCKET, else /run/acsearch/acsearch.sock.
        --socket, --json and --timeout go before or after the command: acsearch --socket PATH status, \
        acsearch status --socket PATH, alias acs='acsearch --socket PATH'. A word that names a command is a \
        command (acsearch status); to search for it, say search (acsearch search status).
        Queries work with or without diacritics, in English or Vietnamese: "Hai Duong inspections", \
        "thanh tra Hải Dương", "number:67-QĐ/TW", "cites:67-QD/TW kind:press", "date:2022-05-10..2022-08-05".

        EXIT STATUS
          0   something was found (or the command succeeded)
          1   nothing was found
          2   the daemon answered with an error (a bad query, an unknown id)
          3   the daemon could not be reached
          64  usage error

        Shell completion: acsearch --generate-completion-script bash|zsh|fish
        Manuals: man acsearch; the query language, its operators and fields: man 7 acsearch.
        """,
        version: ACSearchVersion.current,
        subcommands: [SearchCommand.self, ShowCommand.self, SimilarCommand.self, CitesCommand.self, SuggestCommand.self,
                      StatusCommand.self, WatchCommand.self],
        defaultSubcommand: SearchCommand.self)

    @OptionGroup var connection: ConnectionOptions
}
