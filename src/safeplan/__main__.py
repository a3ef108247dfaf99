from safeplan.cli import main

main()
