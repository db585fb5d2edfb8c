"""Training in the app: the generated script runs in a child process (``runner``), its progress is
plotted live (``plots``, ``panel``), runs are kept and compared (``history``). Never imports a framework."""
