using System;
using System.Buffers.Binary;
using System.Text;
using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Kernel;
using CSharpBpf.Vm.Maps;

namespace CSharpBpf.Vm.Helpers;

/// <summary>Socket helpers: cookies, full-socket checks, sk_storage, set/getsockopt, sock_ops callback flags.</summary>
internal static class SocketHelpers
{
    public const int SolSocket = 1, SolTcp = 6, SolIp = 0, SolIpv6 = 41;
    public const int TcpCongestion = 13, TcpBpfIw = 1001, TcpBpfSndCwndClamp = 1002;
    public const int SoMark = 36, SoPriority = 12;
    /// <summary>BPF_SOCK_OPS_ALL_CB_FLAGS: the callback flags this kernel knows.</summary>
    public const uint AllCbFlags = 0x7f;

    /// <summary>Congestion controls bpf_setsockopt(TCP_CONGESTION) accepts (plus any named in <see cref="BpfMachine"/>'s set).</summary>
    public static readonly string[] KnownCongestionControls = { "reno", "cubic", "bbr", "dctcp" };

    public static void Register(HelperTable t)
    {
        t.Register(HelperIds.GetSocketCookie, "bpf_get_socket_cookie", (m, a) => SocketOf(m, a.R1)?.Cookie ?? 0);
        t.Register(HelperIds.SkFullsock, "bpf_sk_fullsock", (m, a) =>
        {
            var s = SimulatedSocket.FromAddress(m, a.R1);
            return s is not null && s.IsFullSocket ? s.BpfSockAddress : 0;
        });
        t.Register(HelperIds.SkStorageGet, "bpf_sk_storage_get", (m, a) =>
        {
            var map = StandardHelpers.MapAs<SkStorageMap>(m, a, "bpf_sk_storage_get");
            var sk = SimulatedSocket.FromAddress(m, a.R2);
            if (sk is null || a.R4 > SkStorageMap.GetFlagCreate) return 0;
            var init = a.R3 == 0 ? ReadOnlySpan<byte>.Empty : m.Memory.Slice(a.R3, map.ValueSize, false, a.Pc);
            if ((a.R4 & SkStorageMap.GetFlagCreate) != 0 && !sk.IsFullSocket) return 0;
            return map.GetForProgram(sk, init, a.R4);
        });
        t.Register(HelperIds.SkStorageDelete, "bpf_sk_storage_delete", (m, a) =>
        {
            var map = StandardHelpers.MapAs<SkStorageMap>(m, a, "bpf_sk_storage_delete");
            var sk = SimulatedSocket.FromAddress(m, a.R2);
            return sk is null ? Errno.Neg(Errno.EINVAL) : StandardHelpers.Ret(map.DeleteForProgram(sk));
        });
        t.Register(HelperIds.SetSockopt, "bpf_setsockopt", SetSockopt);
        t.Register(HelperIds.GetSockopt, "bpf_getsockopt", GetSockopt);
        t.Register(HelperIds.SockOpsCbFlagsSet, "bpf_sock_ops_cb_flags_set", (m, a) =>
        {
            if (m.CurrentContext is not SockOpsContext ctx || ctx.Socket is not { IsFullSocket: true } sk) return Errno.Neg(Errno.EINVAL);
            uint flags = (uint)a.R2;
            sk.SockOpsCbFlags = flags & AllCbFlags;
            ctx.CbFlagsChanged(sk.SockOpsCbFlags);
            return flags & ~AllCbFlags; // the flags this kernel does not support
        });
    }

    /// <summary>The socket behind r1: a socket pointer itself, or the current context's socket.</summary>
    public static SimulatedSocket? SocketOf(BpfMachine m, ulong r1) =>
        SimulatedSocket.FromAddress(m, r1) ?? (m.CurrentContext is ISocketContext sc ? sc.Socket : null);

    private static ulong SetSockopt(BpfMachine m, HelperArgs a)
    {
        var sk = SocketOf(m, a.R1);
        if (sk is null || !sk.IsFullSocket) return Errno.Neg(Errno.EINVAL);
        int level = (int)a.R2, name = (int)a.R3;
        if (a.R5 > 4096) return Errno.Neg(Errno.EINVAL);
        var value = m.Memory.Slice(a.R4, (int)a.R5, false, a.Pc).ToArray();
        if (level == SolTcp && name == TcpCongestion)
        {
            int n = Array.IndexOf(value, (byte)0);
            string ca = Encoding.ASCII.GetString(value, 0, n < 0 ? value.Length : n);
            if (Array.IndexOf(KnownCongestionControls, ca) < 0 && !m.RegisteredCongestionControls.Contains(ca)) return Errno.Neg(Errno.ENOENT);
            sk.CongestionControl = ca;
            sk.Options[(level, name)] = value;
            return 0;
        }
        if (!IsIntOption(level, name)) return Errno.Neg(Errno.EINVAL);
        if (value.Length != 4) return Errno.Neg(Errno.EINVAL);
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(value);
        switch (level, name)
        {
            case (SolSocket, SoMark): sk.Tcp["sk_mark"] = v; break;
            case (SolSocket, SoPriority): sk.Tcp["sk_priority"] = v; break;
            case (SolTcp, TcpBpfIw):
                if (v == 0) return Errno.Neg(Errno.EINVAL);
                sk.Tcp["snd_cwnd"] = v;
                break;
            case (SolTcp, TcpBpfSndCwndClamp):
                if (v == 0) return Errno.Neg(Errno.EINVAL);
                sk.Tcp["snd_cwnd_clamp"] = v;
                if (sk.Tcp.U32("snd_cwnd") > v) sk.Tcp["snd_cwnd"] = v;
                break;
        }
        sk.Options[(level, name)] = value;
        return 0;
    }

    private static bool IsIntOption(int level, int name) => (level, name) switch
    {
        (SolSocket, 2 or 7 or 8 or 9 or 12 or 15 or 18 or 36 or 47 or 74) => true,
        (SolTcp, 1 or 2 or 4 or 5 or 6 or 7 or 10 or 16 or 18 or 25 or 27) => true,
        (SolTcp, >= 1001 and <= 1006) => true,
        (SolIp, 1) => true,
        (SolIpv6, 67) => true,
        _ => false,
    };

    private static ulong GetSockopt(BpfMachine m, HelperArgs a)
    {
        if (a.R5 > 4096) return Errno.Neg(Errno.EINVAL);
        var dst = m.Memory.Slice(a.R4, (int)a.R5, true, a.Pc);
        var sk = SocketOf(m, a.R1);
        int level = (int)a.R2, name = (int)a.R3;
        if (sk is null || !sk.IsFullSocket)
        {
            dst.Clear();
            return Errno.Neg(Errno.EINVAL);
        }
        if (level == SolTcp && name == TcpCongestion)
        {
            dst.Clear();
            var ca = Encoding.ASCII.GetBytes(sk.CongestionControl);
            ca.AsSpan(0, Math.Min(ca.Length, Math.Max(dst.Length - 1, 0))).CopyTo(dst);
            return 0;
        }
        if (!IsIntOption(level, name) || dst.Length != 4)
        {
            dst.Clear();
            return Errno.Neg(Errno.EINVAL);
        }
        if (sk.Options.TryGetValue((level, name), out var stored)) stored.AsSpan(0, 4).CopyTo(dst);
        else dst.Clear();
        return 0;
    }
}
