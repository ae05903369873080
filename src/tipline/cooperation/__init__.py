"""Cooperation requests between countries, under the UN Convention against Cybercrime and
bilateral treaties: expedited preservation, expedited disclosure of preserved traffic data,
mutual legal assistance, and requests through the 24/7 network, sent to and received from
partner agencies abroad, each tracked to its deadlines.
"""
