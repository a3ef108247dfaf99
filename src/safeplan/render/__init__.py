"""Rendering: the reader's language (``i18n``), messages (``text``), validation reports
(``problems``), and terminal screens (``screens``, a module a family of screens, made of
``grid`` blocks, measured by ``width``). Renderers take view models and a Translator, and
return text or renderables."""
