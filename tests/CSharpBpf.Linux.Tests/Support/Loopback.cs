using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;

namespace CSharpBpf.Linux.Tests.Support;

/// <summary>A loopback TCP connection (client, accepted server socket) for kernel tests.</summary>
public sealed class Loopback : IDisposable
{
    public const int SolTcp = 6, TcpCongestion = 13;

    private Loopback(Socket listener, Socket client, Socket server)
    {
        Listener = listener;
        Client = client;
        Server = server;
    }

    public Socket Listener { get; }
    public Socket Client { get; }
    public Socket Server { get; }

    /// <summary>Connects a new client to a new listener; <paramref name="beforeConnect"/> runs on the client socket first.</summary>
    public static Loopback Connect(Action<Socket>? beforeConnect = null, Func<Socket>? createClient = null, Func<Socket>? createListener = null)
    {
        var listener = createListener?.Invoke() ?? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        var client = createClient?.Invoke() ?? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        beforeConnect?.Invoke(client);
        client.Connect(listener.LocalEndPoint!);
        var server = listener.Accept();
        return new Loopback(listener, client, server);
    }

    /// <summary>Sends <paramref name="bytes"/> client → server and returns how many the server received.</summary>
    public long Transfer(long bytes)
    {
        var chunk = new byte[64 * 1024];
        new Random(1).NextBytes(chunk);
        var receive = Task.Run(() =>
        {
            var buf = new byte[256 * 1024];
            long got = 0;
            while (got < bytes)
            {
                int n = Server.Receive(buf);
                if (n == 0) break;
                got += n;
            }
            return got;
        });
        long sent = 0;
        while (sent < bytes)
        {
            int n = (int)Math.Min(chunk.Length, bytes - sent);
            sent += Client.Send(chunk, 0, n, SocketFlags.None);
        }
        if (!receive.Wait(TimeSpan.FromSeconds(60))) throw new TimeoutException("loopback transfer did not finish in 60 s");
        return receive.Result;
    }

    public static void SetCongestionControl(Socket s, string name) =>
        s.SetRawSocketOption(SolTcp, TcpCongestion, Encoding.ASCII.GetBytes(name));

    public static string GetCongestionControl(Socket s)
    {
        var buf = new byte[16];
        int n = s.GetRawSocketOption(SolTcp, TcpCongestion, buf);
        int end = Array.IndexOf(buf, (byte)0, 0, n);
        return Encoding.ASCII.GetString(buf, 0, end < 0 ? n : end);
    }

    public static int GetIntOption(Socket s, int level, int name)
    {
        var buf = new byte[4];
        s.GetRawSocketOption(level, name, buf);
        return BitConverter.ToInt32(buf, 0);
    }

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
        Listener.Dispose();
    }
}
