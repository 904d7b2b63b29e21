using System.Net;
using System.Net.Sockets;

namespace GeoRisk.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback TCP relay in front of PostgreSQL. Stopping it is, for the API behind it, exactly
/// a database that went down (refused and reset connections), without stopping the cluster
/// that other tests use at the same time.
/// </summary>
public sealed class TcpProxy(string targetHost, int targetPort) : IAsyncDisposable
{
    private readonly List<TcpClient> _connections = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;

    public int Port { get; private set; }

    public void Start()
    {
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoopAsync(_listener, _stop.Token);
    }

    public void Stop()
    {
        _stop?.Cancel();
        _listener?.Stop();
        lock (_connections)
        {
            foreach (var c in _connections) c.Dispose();
            _connections.Clear();
        }
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(cancellationToken); }
            catch (Exception) { return; }
            var upstream = new TcpClient();
            try { await upstream.ConnectAsync(targetHost, targetPort, cancellationToken); }
            catch (Exception) { client.Dispose(); upstream.Dispose(); continue; }
            lock (_connections) { _connections.Add(client); _connections.Add(upstream); }
            _ = PumpAsync(client.GetStream(), upstream.GetStream(), client, upstream, cancellationToken);
            _ = PumpAsync(upstream.GetStream(), client.GetStream(), client, upstream, cancellationToken);
        }
    }

    private static async Task PumpAsync(NetworkStream from, NetworkStream to, TcpClient a, TcpClient b, CancellationToken cancellationToken)
    {
        try { await from.CopyToAsync(to, cancellationToken); }
        catch (Exception) { /* a side closed: close both below */ }
        a.Dispose();
        b.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
