import ACSearchCLI
import ArgumentParser

/// `acsearch`: the root only configures; `search` is the default command, so
/// `acsearch "Hai Duong inspections"` searches.
@main
struct ACSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acsearch",
        abstract: "Search what was decided, concluded and reported in Vietnam's fight against corruption.",
        discussion: """
        Asks acsearchd over its Unix socket: --socket, else $ACSEARCH_SOCKET, else /run/acsearch/acsearch.sock.
        Options follow the command: acsearch status --socket PATH (acsearch --socket PATH status searches for "status").
        Queries work with or without diacritics, in English or Vietnamese: "Hai Duong inspections", \
        "thanh tra Hải Dương", "number:67-QĐ/TW", "cites:67-QD/TW kind:press", "date:2022-05-10..2022-08-05".

        EXIT STATUS
          0   something was found (or the command succeeded)
          1   nothing was found
          2   the daemon answered with an error (a bad query, an unknown id)
          3   the daemon could not be reached
          64  usage error

        Shell completion: acsearch --generate-completion-script bash|zsh|fish
        """,
        version: "0.1.0",
        subcommands: [SearchCommand.self, ShowCommand.self, SimilarCommand.self, CitesCommand.self, SuggestCommand.self,
                      StatusCommand.self],
        defaultSubcommand: SearchCommand.self)
}

