// In-page halves of the Chromium benchmarks (loaded by the bench page after the followsocket
// IIFE and the peers bundle). Plain script: nothing here is transformed by a bundler.

/** Milliseconds from construction to `open` for one way of opening; the socket is then closed. */
window.openOnce = function (way, moved, final) {
  return new Promise(function (done) {
    var start = performance.now()
    if (way === 'raw') {
      var ws = new WebSocket(final)
      ws.onopen = function () {
        done(performance.now() - start)
        ws.close()
      }
      return
    }
    var url = way === 'direct' ? final : moved
    var options = way === 'cached' ? {} : { cache: false, discovery: way === 'preflight' ? 'preflight' : 'auto' }
    var c = FollowSocket.connect(url, options)
    c.on('open', function () {
      done(performance.now() - start)
      c.close()
    })
  })
}

/** Opens `client` at `url`, calling onOpen and onMessage(event-like with .data); returns { send, close }. */
function openClient(client, url, onOpen, onMessage) {
  if (client === 'followsocket') {
    var c = FollowSocket.connect(url, { cache: false })
    c.on('open', onOpen)
    c.on('message', onMessage)
    return c
  }
  var Ctor = client === 'raw' ? WebSocket : client === 'partysocket' ? peers.PartySocket : peers.ReconnectingWebSocket
  var ws = new Ctor(url)
  ws.binaryType = 'arraybuffer'
  ws.onopen = onOpen
  ws.onmessage = onMessage
  return ws
}

/** Messages per second: `count` messages of `size` bytes sent at once, timed until every echo is back. */
window.echoRate = function (client, url, count, size, binary) {
  return new Promise(function (done) {
    var payload = binary ? new Uint8Array(size).fill(7).buffer : 'x'.repeat(size)
    var received = 0
    var start = 0
    var sock
    function onOpen() {
      start = performance.now()
      for (var i = 0; i < count; i++) sock.send(payload)
    }
    // Every client's handler reads the data, as any application does: materialising a frame's
    // data is part of the cost of receiving it.
    function onMessage(event) {
      window.lastData = event.data
      if (++received === count) {
        done(count / ((performance.now() - start) / 1000))
        sock.close()
      }
    }
    sock = openClient(client, url, onOpen, onMessage)
  })
}

/**
 * Messages per second received: the client asks the server for `count` messages of `size` bytes,
 * which it sends back to back, and times the burst from the request to the last message. The
 * server only writes, so this measures each client's receive path, not the server.
 */
window.burstRate = function (client, url, count, size, binary) {
  return new Promise(function (done) {
    var received = 0
    var start = 0
    var sock
    function onOpen() {
      start = performance.now()
      sock.send('burst:' + count + ':' + size + ':' + (binary ? 1 : 0))
    }
    // Every client's handler reads the data, as any application does: materialising a frame's
    // data is part of the cost of receiving it.
    function onMessage(event) {
      window.lastData = event.data
      if (++received === count) {
        done(count / ((performance.now() - start) / 1000))
        sock.close()
      }
    }
    sock = openClient(client, url, onOpen, onMessage)
  })
}

/**
 * CPU time per received message, in microseconds: `count` MessageEvents dispatched on the real
 * underlying WebSocket of an open connection, each handled by the client's receive path and an
 * application handler that reads the data. Unlike the burst, the network and the server play no
 * part, so the figure is stable from run to run.
 */
window.dispatchCost = function (client, url, count) {
  return new Promise(function (done) {
    var inner
    var received = 0
    function onMessage(event) {
      window.lastData = event.data
      received++
    }
    function measure() {
      var event = new MessageEvent('message', { data: 'x'.repeat(32) })
      var start = performance.now()
      for (var i = 0; i < count; i++) inner.dispatchEvent(event)
      var us = ((performance.now() - start) * 1000) / count
      done(received === count ? us : NaN)
    }
    if (client === 'followsocket') {
      var c = FollowSocket.connect(url, { cache: false })
      c.on('message', onMessage)
      c.on('open', function () {
        inner = c.socket
        measure()
        c.close()
      })
      return
    }
    var Ctor = client === 'raw' ? WebSocket : client === 'partysocket' ? peers.PartySocket : peers.ReconnectingWebSocket
    var sock = new Ctor(url)
    sock.onmessage = onMessage
    sock.onopen = function () {
      inner = client === 'raw' ? sock : sock._ws
      measure()
      sock.close()
    }
  })
}
