from armatlas.cli.app import run

run()
