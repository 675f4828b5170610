using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;

namespace TcpCongestion.Kernel;

/// <summary>What a loopback transfer showed: the algorithm the socket reported, cwnd samples, throughput.</summary>
public sealed record TransferResult(string Algorithm, long Bytes, TimeSpan Elapsed, uint FirstCwnd, uint MaxCwnd, uint LastSsthresh, uint Retransmits)
{
    public double ThroughputMbps => Bytes * 8 / Math.Max(1e-9, Elapsed.TotalSeconds) / 1e6;
}

/// <summary>
/// A TCP transfer over 127.0.0.1 whose sender selects a congestion control with
/// setsockopt(IPPROTO_TCP, TCP_CONGESTION) and reads it back with getsockopt, sampling
/// struct tcp_info (TCP_INFO) for cwnd and ssthresh while it sends.
/// </summary>
public static class LoopbackTransfer
{
    private const int SolTcp = 6, TcpCongestion = 13, TcpInfo = 11;

    // struct tcp_info (include/uapi/linux/tcp.h) offsets
    private const int TcpiTotalRetrans = 100, TcpiSndSsthresh = 76, TcpiSndCwnd = 80;

    /// <param name="progress">(bytes sent, cwnd) now and then, for a progress line.</param>
    /// <param name="sample">(cwnd, ssthresh) from TCP_INFO at the start and after every send call.</param>
    public static TransferResult Run(string algorithm, long bytes, Action<long, uint>? progress = null, Action<uint, uint>? sample = null)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        // Select the algorithm before connecting, so init() runs when the connection is established.
        sender.SetRawSocketOption(SolTcp, TcpCongestion, Encoding.ASCII.GetBytes(algorithm));
        sender.Connect(listener.LocalEndPoint!);
        using var receiver = listener.Accept();
        string reported = ReadAlgorithm(sender);

        var drain = Task.Run(() =>
        {
            var buf = new byte[1 << 20];
            long total = 0;
            int n;
            while ((n = receiver.Receive(buf)) > 0) total += n;
            return total;
        });

        var chunk = new byte[256 * 1024];
        new Random(1).NextBytes(chunk);
        var clock = Stopwatch.StartNew();
        long sent = 0, lastReport = 0;
        var start = Info(sender);
        sample?.Invoke(start.Cwnd, start.Ssthresh);
        uint firstCwnd = start.Cwnd, maxCwnd = firstCwnd;
        while (sent < bytes)
        {
            int n = sender.Send(chunk, 0, (int)Math.Min(chunk.Length, bytes - sent), SocketFlags.None);
            sent += n;
            var info = Info(sender);
            maxCwnd = Math.Max(maxCwnd, info.Cwnd);
            sample?.Invoke(info.Cwnd, info.Ssthresh);
            // A line at least every 50 ms and every tenth of the transfer: loopback is fast.
            if (progress is not null && (clock.ElapsedMilliseconds - lastReport >= 50 || sent * 10 / bytes != (sent - n) * 10 / bytes))
            {
                lastReport = clock.ElapsedMilliseconds;
                progress(sent, info.Cwnd);
            }
        }
        var last = Info(sender);
        sender.Shutdown(SocketShutdown.Send);
        long received = drain.GetAwaiter().GetResult();
        clock.Stop();
        if (received != bytes) throw new InvalidOperationException($"the receiver got {received} of {bytes} bytes");
        return new TransferResult(reported, received, clock.Elapsed, firstCwnd, maxCwnd, last.Ssthresh, last.Retransmits);
    }

    /// <summary>getsockopt(TCP_CONGESTION): the name of the socket's congestion control.</summary>
    public static string ReadAlgorithm(Socket s)
    {
        var name = new byte[16]; // TCP_CA_NAME_MAX
        int len = s.GetRawSocketOption(SolTcp, TcpCongestion, name);
        return Encoding.ASCII.GetString(name, 0, len).TrimEnd('\0');
    }

    public static (uint Cwnd, uint Ssthresh, uint Retransmits) Info(Socket s)
    {
        var info = new byte[232];
        int len = s.GetRawSocketOption(SolTcp, TcpInfo, info);
        if (len < TcpiTotalRetrans + 4) throw new InvalidOperationException($"TCP_INFO returned only {len} bytes");
        return (BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(TcpiSndCwnd)),
                BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(TcpiSndSsthresh)),
                BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(TcpiTotalRetrans)));
    }
}
