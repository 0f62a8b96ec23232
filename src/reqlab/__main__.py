from reqlab.cli import main

main()
