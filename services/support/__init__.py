"""The support desk (SPEC S10, O4, B8): residents' requests, the conversation, attachments, the desk's work.

Every function that names a request or an attachment takes the acting user and checks it is the resident's
own or that the user is staff; anything else is `NotFound`, the same as an id that does not exist.
"""
