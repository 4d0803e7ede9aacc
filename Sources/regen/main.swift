import Glibc
import RegenCore

exit(RegenCommand.main(Array(CommandLine.arguments.dropFirst())))
