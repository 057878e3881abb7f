import ZoneCastCLI

ZoneCastCommand.main()
