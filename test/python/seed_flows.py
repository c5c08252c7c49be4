"""The six namespaces' seed flows with python-socketio's asyncio client, written the way its users write them:
one handler parameter per documented argument (`def on_receive_message(data)`), as the docs describe.

Run by test/python/python-clients.test.ts with Debian's interpreter:

    /usr/bin/python3 test/python/seed_flows.py '{"url": ..., "tokens": {"alice": ..., "bob": ...}, "badToken": ...}'

Prints one JSON line: per namespace the steps that passed, or the first that failed; and every error
python-socketio only logs (a handler that raised, in a background task), which the test fails on.
"""

import asyncio
import gc
import json
import logging
import sys

import socketio

WAIT = 5  # seconds an expected event or ack may take


class HandlerErrors(logging.Handler):
    """python-socketio runs handlers in background tasks and only logs what they raise: collect it."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []
        self.raised = asyncio.Event()

    def emit(self, record):
        self.add(self.format(record))

    def add(self, message):
        self.messages.append(message)
        self.raised.set()

    def loop_error(self, _loop, context):
        error = context.get('exception')
        detail = f'{type(error).__name__}: {error}' if error else ''
        self.add(f"{context.get('message', 'error in a task')}: {detail}")


ERRORS = HandlerErrors()


class Failed(Exception):
    pass


class Client:
    """One socket on one namespace; what arrives is kept per event, in order."""

    def __init__(self, url, namespace, events):
        self.url = url
        self.namespace = namespace
        self.sio = socketio.AsyncClient(reconnection=False)
        self.queues = {}
        self.disconnected = asyncio.Event()
        for event in events:
            self.listen(event)

        def on_disconnect():
            self.disconnected.set()

        self.sio.on('disconnect', on_disconnect, namespace=namespace)

    def listen(self, event):
        queue = self.queues.setdefault(event, asyncio.Queue())

        def handler(data):  # the documented payload: one argument
            queue.put_nowait(data)

        self.sio.on(event, handler, namespace=self.namespace)

    async def connect(self, token=None):
        await self.sio.connect(
            self.url,
            namespaces=[self.namespace],
            auth={'token': token} if token is not None else None,
            wait_timeout=WAIT,
        )

    async def next(self, event, match=lambda data: True):
        """The next `event` that matches; fails after WAIT seconds, or at once when a handler raised."""

        async def matching():
            while True:
                data = await self.queues[event].get()
                if match(data):
                    return data

        got = asyncio.ensure_future(matching())
        raised = asyncio.ensure_future(ERRORS.raised.wait())
        done, _ = await asyncio.wait({got, raised}, timeout=WAIT, return_when=asyncio.FIRST_COMPLETED)
        got.cancel()
        raised.cancel()
        if got in done:
            return got.result()
        if raised in done:
            raise Failed(f'a handler raised while waiting for "{event}" on {self.namespace}: {ERRORS.messages[0]}')
        raise Failed(f'no "{event}" on {self.namespace} within {WAIT} s')

    def emit(self, event, data):
        return self.sio.emit(event, data, namespace=self.namespace)

    def call(self, event, data):
        return self.sio.call(event, data, namespace=self.namespace, timeout=WAIT)

    async def close(self):
        if self.sio.connected:
            await self.sio.disconnect()


def check(condition, what, got):
    if not condition:
        raise Failed(f'{what}; got {json.dumps(got)}')


class Flow:
    def __init__(self, namespace, config, events):
        self.namespace = namespace
        self.config = config
        self.events = events
        self.steps = []
        self.clients = []

    def client(self, extra=()):
        client = Client(self.config['url'], self.namespace, [*self.events, *extra])
        self.clients.append(client)
        return client

    def step(self, name):
        self.steps.append(name)

    async def close(self):
        await asyncio.gather(*(client.close() for client in self.clients), return_exceptions=True)


async def refused_handshake(flow):
    """A handshake with a bad token is refused with `connect_error` `UNAUTHENTICATED`."""
    client = flow.client()
    refusal = asyncio.get_running_loop().create_future()

    def on_connect_error(data):
        if not refusal.done():
            refusal.set_result(data)

    client.sio.on('connect_error', on_connect_error, namespace=flow.namespace)
    try:
        await client.connect(flow.config['badToken'])
    except socketio.exceptions.ConnectionError:
        pass
    # python-socketio passes the CONNECT_ERROR packet's payload: { message, data: { code, message } }.
    refused = await asyncio.wait_for(refusal, WAIT)
    code = refused.get('data', {}).get('code') if isinstance(refused, dict) else None
    check(code == 'UNAUTHENTICATED', 'connect_error UNAUTHENTICATED', refused)
    flow.step('a bad token is refused with connect_error UNAUTHENTICATED')


async def rejected_then_disconnected(flow, event, expected):
    """A handshake with a bad token is accepted only to send `event` (x-parley-auth.reject), then disconnect."""
    client = flow.client([event])
    await client.connect(flow.config['badToken'])
    data = await client.next(event)
    check(isinstance(data, dict) and all(data.get(k) == v for k, v in expected.items()), f'{event} {expected}', data)
    await asyncio.wait_for(client.disconnected.wait(), WAIT)
    flow.step(f'a bad token gets {event} and is disconnected')


async def canonical(flow):
    tokens = flow.config['tokens']
    alice, bob = flow.client(), flow.client()
    await asyncio.gather(alice.connect(tokens['alice']), bob.connect(tokens['bob']))
    for who, client in (('alice', alice), ('bob', bob)):
        ready = await client.next('session:ready')
        check(ready['user']['id'] == who, f'session:ready for {who}', ready)
    flow.step('signs in with the handshake token; session:ready')
    ack = await alice.call('message:send', {'roomId': 'general', 'content': 'Hello from Python on /'})
    check(ack.get('ok') is True and ack['data']['message']['content'] == 'Hello from Python on /', 'ack ok', ack)
    flow.step('message:send is acknowledged { ok: true, data }')
    created = await bob.next('message:created', lambda d: d['message']['content'] == 'Hello from Python on /')
    check(created['message']['id'] == ack['data']['message']['id'], 'the acked message', created)
    flow.step('bob receives message:created')
    ack = await alice.call('message:send', {'roomId': 'general'})
    check(ack.get('ok') is False and ack['error']['code'] == 'VALIDATION_FAILED', 'VALIDATION_FAILED ack', ack)
    flow.step('an invalid message:send is acknowledged { ok: false, error: VALIDATION_FAILED }')
    await refused_handshake(flow)


async def messenger(flow):
    tokens = flow.config['tokens']
    alice, bob = flow.client(), flow.client()
    await asyncio.gather(alice.connect(tokens['alice']), bob.connect(tokens['bob']))
    flow.step('signs in with the handshake token')
    # Parley answers an ack on an event without a reply once it is handled: the join is done when it returns.
    await asyncio.gather(*(c.call('join_conversations', ['alice-bob']) for c in (alice, bob)))
    flow.step('join_conversations')
    content = 'Hello from Python on /messenger'
    ack = await alice.call('send_message', {'conversationId': 'alice-bob', 'content': content, 'type': 'text'})
    check(ack.get('success') is True and ack['message']['content'] == content, 'ack success', ack)
    flow.step('send_message is acknowledged { success: true, message }')
    received = await bob.next('receive_message', lambda d: d['message']['content'] == content)
    check(received['message']['_id'] == ack['message']['_id'], 'the acked message', received)
    flow.step('bob receives receive_message')
    ack = await alice.call('send_message', {'conversationId': 'alice-bob', 'type': 'video'})
    check(ack.get('success') is False and isinstance(ack.get('message'), str), '{ success: false, message }', ack)
    flow.step('an invalid send_message is acknowledged { success: false, message }')
    await alice.emit('typing', {'conversationId': 'alice-bob'})
    await alice_error(alice, 'error', 'typing without isTyping')
    flow.step('an invalid typing gets error VALIDATION_FAILED')
    await refused_handshake(flow)


async def alice_error(client, event, what):
    error = await client.next(event)
    check(isinstance(error, dict) and error.get('code') == 'VALIDATION_FAILED', f'{what}: {event}', error)


async def threads(flow):
    tokens = flow.config['tokens']
    alice, bob = flow.client(), flow.client()
    await asyncio.gather(alice.connect(tokens['alice']), bob.connect(tokens['bob']))
    for client in (alice, bob):
        online = await client.next('presence:update')
        check(isinstance(online, list), 'the online users (a list)', online)
    flow.step('signs in with the handshake token; presence:update welcome')
    await asyncio.gather(*(c.call('thread:join', {'threadId': 'general'}) for c in (alice, bob)))
    flow.step('thread:join')
    content = 'Hello from Python on /threads'
    ack = await alice.call('message:send', {'threadId': 'general', 'content': content})
    check(ack.get('ok') is True and ack['message']['content'] == content, 'ack ok', ack)
    flow.step('message:send is acknowledged { ok: true, message }')
    new = await bob.next('message:new', lambda d: d['content'] == content)
    check(new['id'] == ack['message']['id'], 'the acked message', new)
    flow.step('bob receives message:new')
    ack = await alice.call('message:send', {'threadId': 'general'})
    check(ack.get('ok') is False and ack['error']['code'] == 'VALIDATION_FAILED', 'VALIDATION_FAILED ack', ack)
    flow.step('an invalid message:send is acknowledged { ok: false, error: VALIDATION_FAILED }')
    await rejected_then_disconnected(flow, 'auth_error', {'code': 'UNAUTHENTICATED'})


async def chatterbox(flow):
    tokens = flow.config['tokens']
    alice, bob = flow.client(), flow.client()
    await asyncio.gather(alice.connect(tokens['alice']), bob.connect(tokens['bob']))
    for who, client in (('alice', alice), ('bob', bob)):
        welcome = await client.next('authenticated')
        check(welcome.get('userId') == who, f'authenticated as {who}', welcome)
    flow.step('signs in with the handshake token; authenticated')
    await asyncio.gather(*(c.call('join-conversation', {'conversationId': 'general'}) for c in (alice, bob)))
    flow.step('join-conversation')
    content = 'Hello from Python on /chatterbox'
    await alice.emit('send-message', {'conversationId': 'general', 'content': content})
    new = await bob.next('new-message', lambda d: d.get('content') == content)
    check(new.get('conversationId') == 'general', 'a message of general', new)
    flow.step('send-message; bob receives new-message')
    await alice.emit('send-message', {'conversationId': 'general', 'content': 'hi', 'extra': 1})
    await alice_error(alice, 'error', 'send-message with an unknown property')
    flow.step('an invalid send-message gets error VALIDATION_FAILED')
    await refused_handshake(flow)


async def helpdesk(flow):
    tokens = flow.config['tokens']
    alice, bob = flow.client(), flow.client()
    await asyncio.gather(alice.connect(), bob.connect())
    for who, client in (('alice', alice), ('bob', bob)):
        await client.emit('authenticate', tokens[who])
        await client.next('authenticated')
    flow.step('signs in with the authenticate event; authenticated')
    for who, client in (('alice', alice), ('bob', bob)):
        await client.emit('join_channel', 'general')
        await client.next('user_joined')
    flow.step('join_channel; user_joined')
    content = 'Hello from Python on /helpdesk'
    await alice.emit('chat:send_message', {'channelId': 'general', 'message': content})
    new = await bob.next('chat:new_message', lambda d: content in json.dumps(d))
    check(isinstance(new, dict), 'a message', new)
    flow.step('chat:send_message; bob receives chat:new_message')
    await alice.emit('chat:send_message', {'channelId': 'general'})
    error = await alice.next('chat:error')
    check(isinstance(error, str) and error, 'chat:error with a message (a string)', error)
    flow.step('an invalid chat:send_message gets chat:error')
    stranger = flow.client()
    await stranger.connect()
    await stranger.emit('authenticate', flow.config['badToken'])
    error = await stranger.next('auth:error')
    check(isinstance(error, str) and error, 'auth:error with a message (a string)', error)
    flow.step('a bad token gets auth:error')


async def workspace(flow):
    tokens = flow.config['tokens']
    alice, bob = flow.client(), flow.client()
    await asyncio.gather(alice.connect(tokens['alice']), bob.connect(tokens['bob']))
    for client in (alice, bob):
        await client.next('authenticated')
    flow.step('signs in with the handshake token; authenticated')
    for client in (alice, bob):
        await client.emit('join_channel', {'channelId': 'general'})
        await client.next('joined_channel')
    flow.step('join_channel; joined_channel')
    content = 'Hello from Python on /workspace'
    await alice.emit('send_message', {'content': content, 'channelId': 'general'})
    new = await bob.next('new_message', lambda d: content in json.dumps(d))
    check(isinstance(new, dict), 'a message', new)
    flow.step('send_message; bob receives new_message')
    await alice.emit('send_message', {'channelId': 'general'})
    await alice_error(alice, 'error', 'send_message without content')
    flow.step('an invalid send_message gets error VALIDATION_FAILED')
    await rejected_then_disconnected(flow, 'error', {'message': 'Authentication failed'})


# Per namespace: the flow, and the server events its clients listen to.
FLOWS = {
    '/': (canonical, ['session:ready', 'message:created', 'error']),
    '/messenger': (messenger, ['receive_message', 'error']),
    '/threads': (threads, ['presence:update', 'message:new', 'error']),
    '/chatterbox': (chatterbox, ['authenticated', 'new-message', 'error']),
    '/helpdesk': (helpdesk, ['authenticated', 'auth:error', 'user_joined', 'chat:new_message', 'chat:error']),
    '/workspace': (workspace, ['authenticated', 'joined_channel', 'new_message', 'error']),
}


async def run(name, config):
    body, events = FLOWS[name]
    flow = Flow(name, config, events)
    try:
        await body(flow)
        result = {'ok': True, 'steps': flow.steps}
    except Exception as error:  # noqa: BLE001 - reported, with the steps that passed
        message = str(error) if isinstance(error, Failed) else f'{type(error).__name__}: {error}'
        result = {'ok': False, 'steps': flow.steps, 'error': message}
    finally:
        await flow.close()
    return name, result


async def main():
    config = json.loads(sys.argv[1])
    asyncio.get_running_loop().set_exception_handler(ERRORS.loop_error)
    names = config.get('namespaces') or list(FLOWS)
    results = dict(await asyncio.gather(*(run(name, config) for name in names)))
    # A task that raised reports it when it is collected.
    gc.collect()
    await asyncio.sleep(0)
    print(json.dumps({'namespaces': results, 'handlerErrors': ERRORS.messages}))


if __name__ == '__main__':
    logging.basicConfig(level=logging.CRITICAL)
    logging.getLogger().addHandler(ERRORS)
    asyncio.run(main())
