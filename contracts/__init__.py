"""Reference clients for TachoShare.connect and Reveal LogBook, and the contract suite that proves them."""
