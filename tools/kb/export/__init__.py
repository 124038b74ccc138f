"""What is made from the built site, after `mkdocs build`: the PDFs (`kb pdf`: pdf, with print/ and the
headless Chromium of browser) and the live-markup check (`kb check-site`: sitecheck)."""
