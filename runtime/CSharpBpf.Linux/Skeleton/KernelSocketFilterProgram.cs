using System;
using System.Net.Sockets;
using CSharpBpf.Linux.Loader;

namespace CSharpBpf.Linux.Skeleton;

/// <summary>
/// A socket filter (section "socket"), attached to one socket with setsockopt(SO_ATTACH_BPF): the socket then
/// receives only what the program keeps (its return value is how many bytes of each packet; 0 drops it).
/// </summary>
public sealed class KernelSocketFilterProgram : KernelProgramHandle
{
    private const int SolSocket = 1, SoAttachBpf = 50, SoDetachBpf = 27; // SO_DETACH_BPF == SO_DETACH_FILTER

    public KernelSocketFilterProgram(BpfObject obj, string name) : base(obj, name) { }

    /// <summary>Attaches to <paramref name="socket"/> (replacing any filter it had); Dispose detaches it again.</summary>
    public IDisposable Attach(Socket socket)
    {
        if (socket is null) throw new ArgumentNullException(nameof(socket));
        var program = Program;
        try
        {
            socket.SetRawSocketOption(SolSocket, SoAttachBpf, BitConverter.GetBytes(program.Fd.Value));
        }
        catch (SocketException e)
        {
            throw new BpfException($"setsockopt(SO_ATTACH_BPF) of program '{Name}' failed: {e.Message} ({e.SocketErrorCode})", e);
        }
        return new Detach(socket);
    }

    private sealed class Detach : IDisposable
    {
        private Socket? _socket;

        public Detach(Socket socket) => _socket = socket;

        public void Dispose()
        {
            var s = _socket;
            _socket = null;
            if (s is null) return;
            try
            {
                s.SetRawSocketOption(SolSocket, SoDetachBpf, new byte[4]);
            }
            catch (ObjectDisposedException)
            {
                // the socket was closed first and its filter went with it
            }
        }
    }
}
