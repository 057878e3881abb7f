import ZoneCastCLI
import ArgumentParser

/// The executable only hands over to the command line library.
@main
struct ZoneCastMain {
    static func main() async {
        await ZoneCastCommand.main()
    }
}
