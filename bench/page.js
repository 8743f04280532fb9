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
    function onMessage() {
      if (++received === count) {
        done(count / ((performance.now() - start) / 1000))
        sock.close()
      }
    }
    if (client === 'followsocket') {
      sock = FollowSocket.connect(url, { cache: false })
      sock.on('open', onOpen)
      sock.on('message', onMessage)
      return
    }
    var Ctor = client === 'raw' ? WebSocket : client === 'partysocket' ? peers.PartySocket : peers.ReconnectingWebSocket
    sock = new Ctor(url)
    sock.binaryType = 'arraybuffer'
    sock.onopen = onOpen
    sock.onmessage = onMessage
  })
}
