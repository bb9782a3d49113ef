"""Example newsbeam user steps, one of each kind.

* :func:`~newsbeam_example_steps.press.drop_press_releases`: a plain function
  ``Article -> Article | None``;
* :class:`~newsbeam_example_steps.syndication.MarkSyndicated`: a ``beam.PTransform`` that
  groups the whole run's articles and feeds the result back as a side input;
* :class:`~newsbeam_example_steps.entities.TagEntities`: a class whose ``setup()`` loads a
  lookup table once per worker and whose ``process()`` tags each article;
* :func:`~newsbeam_example_steps.keywords.tag_keywords`: a function that takes ``soup``, the
  page's BeautifulSoup tree, which newsbeam builds for the steps that ask for it.

``pyproject.toml`` registers them under the entry-point group ``newsbeam.transforms``.
"""
