using System;
using System.Text;

namespace CSharpBpf.Vm.Helpers;

/// <summary>
/// bpf_trace_printk(fmt, fmt_size, a1, a2, a3): the kernel's restricted printf (at most 3
/// arguments; %d %i %u %x %X %c %s %p %% with l/ll/h modifiers). The formatted text is appended to
/// <see cref="BpfMachine.TraceOutput"/>; the return value is its length, or -EINVAL for a format the
/// kernel rejects (not NUL-terminated within fmt_size, too many or unknown conversions).
/// </summary>
internal static class TracePrintk
{
    public static ulong Invoke(BpfMachine m, HelperArgs a)
    {
        if (a.R2 == 0 || a.R2 > 4096) return Maps.Errno.Neg(Maps.Errno.EINVAL);
        var fmt = m.Memory.Slice(a.R1, (int)a.R2, false, a.Pc);
        if (fmt[fmt.Length - 1] != 0) return Maps.Errno.Neg(Maps.Errno.EINVAL);
        int end = fmt.IndexOf((byte)0);
        string text = Encoding.ASCII.GetString(fmt.Slice(0, end));
        ulong[] args = { a.R3, a.R4, a.R5 };
        var sb = new StringBuilder();
        int argi = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }
            if (++i >= text.Length) return Maps.Errno.Neg(Maps.Errno.EINVAL);
            if (text[i] == '%')
            {
                sb.Append('%');
                continue;
            }
            int longs = 0;
            bool half = false;
            while (i < text.Length && (text[i] == 'l' || text[i] == 'h'))
            {
                if (text[i] == 'l') longs++;
                else half = true;
                i++;
            }
            if (i >= text.Length || argi >= 3) return Maps.Errno.Neg(Maps.Errno.EINVAL);
            ulong v = args[argi++];
            if (longs == 0) v = half ? (ushort)v : (uint)v;
            switch (text[i])
            {
                case 'd' or 'i':
                    sb.Append(longs == 0 ? (half ? ((short)v).ToString() : ((int)v).ToString()) : ((long)v).ToString());
                    break;
                case 'u': sb.Append(v); break;
                case 'x': sb.Append(v.ToString("x")); break;
                case 'X': sb.Append(v.ToString("X")); break;
                case 'c': sb.Append((char)(byte)v); break;
                case 'p': sb.Append("0x").Append(args[argi - 1].ToString("x")); break;
                case 's': sb.Append(ReadString(m, args[argi - 1])); break;
                default: return Maps.Errno.Neg(Maps.Errno.EINVAL);
            }
        }
        string line = sb.ToString();
        m.TraceOutput.Add(line);
        return (ulong)Encoding.ASCII.GetByteCount(line);
    }

    private static string ReadString(BpfMachine m, ulong address)
    {
        var region = m.Memory.RegionOf(address, out long off);
        if (region is null || region.Virtual is not null || !region.Readable || off < 0 || off >= region.Length) return "(efault)";
        var s = region.Span.Slice((int)off);
        int n = s.IndexOf((byte)0);
        return Encoding.ASCII.GetString(n < 0 ? s : s.Slice(0, n));
    }
}
