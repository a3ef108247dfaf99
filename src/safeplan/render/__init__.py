"""Rendering: the reader's language (``i18n``), messages (``text``), validation reports
(``problems``), and terminal screens with rich (``grid``, ``console``). Renderers take view
models and a Translator, and return text or renderables."""
