import ACSearchCLI

/// `acsearch`: the commands live in ACSearchCLI.
@main
enum Main {
    static func main() { ACSearchCommand.main() }
}
