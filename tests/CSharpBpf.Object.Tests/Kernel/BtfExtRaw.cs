using System;
using System.Collections.Generic;

namespace CSharpBpf.Object.Tests.Kernel;

/// <summary>
/// Reads func_info / line_info of one section straight from .BTF.ext bytes (little-endian), as a
/// loader does before PROG_LOAD: the kernel wants instruction indices, the object has byte offsets.
/// </summary>
internal static class BtfExtRaw
{
    public static (uint[] FuncInfo, uint[] LineInfo) ForKernel(byte[] ext, byte[] btf, string section)
    {
        uint hdrLen = U32(ext, 4);
        var func = Records(ext, hdrLen + U32(ext, 8), U32(ext, 12), btf, section, 2);
        var line = Records(ext, hdrLen + U32(ext, 16), U32(ext, 20), btf, section, 4);
        for (int i = 0; i < func.Length; i += 2) func[i] /= 8;
        for (int i = 0; i < line.Length; i += 4) line[i] /= 8;
        return (func, line);
    }

    private static uint[] Records(byte[] ext, uint start, uint length, byte[] btf, string section, int words)
    {
        var result = new List<uint>();
        uint recSize = U32(ext, start);
        if (recSize != words * 4) throw new InvalidOperationException($"record size {recSize}, expected {words * 4}");
        uint at = start + 4, end = start + length;
        while (at < end)
        {
            string name = BtfString(btf, U32(ext, at));
            uint count = U32(ext, at + 4);
            at += 8;
            for (uint i = 0; i < count; i++, at += recSize)
                if (name == section)
                    for (int w = 0; w < words; w++) result.Add(U32(ext, at + (uint)w * 4));
        }
        return result.ToArray();
    }

    private static string BtfString(byte[] btf, uint offset)
    {
        uint strStart = U32(btf, 4) + U32(btf, 16);
        int s = (int)(strStart + offset), e = Array.IndexOf(btf, (byte)0, s);
        return System.Text.Encoding.UTF8.GetString(btf, s, e - s);
    }

    private static uint U32(byte[] b, uint at) => BitConverter.ToUInt32(b, (int)at);
}
