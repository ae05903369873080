"""A victim protects her own intimate photo: her browser hashes it (PDQ and MD5, in
`html/static/pdq.js`), and with her consent only the hashes join the NCII bank of victims'
photos (`tipline.media`), with a receipt code that withdraws them. tipline never sees the photo.
"""
