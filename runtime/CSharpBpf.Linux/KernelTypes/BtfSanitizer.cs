using System;
using System.Collections.Generic;
using CSharpBpf.Object;

namespace CSharpBpf.Linux.KernelTypes;

/// <summary>
/// Rewrites encoded BTF so an older kernel accepts it, as libbpf does: each kind the kernel lacks
/// is replaced in place by one with the same record size (ids do not move): DECL_TAG → INT,
/// TYPE_TAG → CONST, FLOAT → empty STRUCT, ENUM64 → UNION of a placeholder INT, global FUNC →
/// static, signed ENUM → unsigned, VAR → INT and DATASEC → STRUCT.
/// </summary>
public static class BtfSanitizer
{
    private const int KInt = 1, KStruct = 4, KUnion = 5, KEnum = 6, KConst = 10, KFunc = 12, KVar = 14, KDatasec = 15,
        KFloat = 16, KDeclTag = 17, KTypeTag = 18, KEnum64 = 19;

    public static byte[] Sanitize(byte[] btf, BtfFeatures f)
    {
        if (f == BtfFeatures.All) return btf;
        var b = (byte[])btf.Clone();
        if (b.Length < 24 || U16(b, 0) != 0xeB9F) throw new BpfFormatException("BTF", 0, "little-endian BTF magic 0xeB9F");
        int hdr = (int)U32(b, 4), typeOff = (int)U32(b, 8), typeLen = (int)U32(b, 12), strOff = (int)U32(b, 16);
        int pos = hdr + typeOff, end = pos + typeLen;
        uint id = 0;
        var enum64ToUnion = new List<(int RecordPos, int Vlen, uint Size)>();
        while (pos < end)
        {
            id++;
            uint info = U32(b, pos + 4);
            int kind = (int)(info >> 24) & 0x1f;
            int vlen = (int)(info & 0xffff);
            int extra = kind switch
            {
                KInt or KVar or KDeclTag => 4,
                3 => 12,
                KStruct or KUnion or KDatasec or KEnum64 => 12 * vlen,
                KEnum or 13 => 8 * vlen,
                _ => 0,
            };
            if (kind == KDeclTag && !f.DeclTag) { SetIntOneByte(b, pos); W32(b, pos, 0); }
            else if (kind == KVar && !f.Datasec) SetIntOneByte(b, pos);
            else if (kind == KTypeTag && !f.TypeTag) { W32(b, pos, 0); W32(b, pos + 4, Info(KConst, 0, false)); }
            else if (kind == KFloat && !f.Float) { W32(b, pos, 0); W32(b, pos + 4, Info(KStruct, 0, false)); }
            else if (kind == KFunc && !f.GlobalFunc && vlen == 1) W32(b, pos + 4, Info(KFunc, 0, false));
            else if (kind == KEnum && !f.SignedEnum && (info & 0x80000000) != 0) W32(b, pos + 4, info & 0x7fffffff);
            else if (kind == KEnum64 && !f.Enum64) enum64ToUnion.Add((pos, vlen, U32(b, pos + 8)));
            else if (kind == KDatasec && !f.Datasec)
            {
                // DATASEC → STRUCT: each var_secinfo (type, offset, size) becomes a member (name, type, bit offset).
                W32(b, pos + 4, Info(KStruct, vlen, false));
                for (int i = 0; i < vlen; i++)
                {
                    int m = pos + 12 + 12 * i;
                    uint varType = U32(b, m), offset = U32(b, m + 4);
                    W32(b, m, 0);
                    W32(b, m + 4, varType);
                    W32(b, m + 8, offset * 8);
                }
                W32(b, pos, 0);
            }
            pos += 12 + extra;
        }
        if (pos != end) throw new BpfFormatException("BTF", pos, "type records ending exactly at the end of the type section");
        if (enum64ToUnion.Count == 0) return b;

        // ENUM64 → UNION needs a member type: append one INT per distinct size after the last type.
        var placeholders = new Dictionary<uint, uint>();
        var appended = new List<byte>();
        foreach (var e in enum64ToUnion)
        {
            if (!placeholders.ContainsKey(e.Size))
            {
                placeholders[e.Size] = id + (uint)placeholders.Count + 1;
                var rec = new byte[16];
                W32(rec, 4, Info(KInt, 0, false));
                W32(rec, 8, e.Size);
                W32(rec, 12, e.Size * 8);
                appended.AddRange(rec);
            }
            W32(b, e.RecordPos + 4, Info(KUnion, e.Vlen, false));
            for (int i = 0; i < e.Vlen; i++)
            {
                int m = e.RecordPos + 12 + 12 * i;
                W32(b, m + 4, placeholders[e.Size]);
                W32(b, m + 8, 0);
            }
        }
        var result = new byte[b.Length + appended.Count];
        Array.Copy(b, 0, result, 0, end);
        appended.CopyTo(result, end);
        Array.Copy(b, end, result, end + appended.Count, b.Length - end);
        W32(result, 12, (uint)(typeLen + appended.Count));
        if (strOff >= typeOff + typeLen) W32(result, 16, (uint)(strOff + appended.Count));
        return result;
    }

    private static void SetIntOneByte(byte[] b, int pos)
    {
        W32(b, pos + 4, Info(KInt, 0, false));
        W32(b, pos + 8, 1);
        W32(b, pos + 12, 8);
    }

    private static uint Info(int kind, int vlen, bool kflag) => (uint)kind << 24 | (uint)vlen | (kflag ? 0x80000000u : 0);
    private static ushort U16(byte[] b, int o) => BitConverter.ToUInt16(b, o);
    private static uint U32(byte[] b, int o) => BitConverter.ToUInt32(b, o);
    private static void W32(byte[] b, int o, uint v) => BitConverter.GetBytes(v).CopyTo(b, o);
}
