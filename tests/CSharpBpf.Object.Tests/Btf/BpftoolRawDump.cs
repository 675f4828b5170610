using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;

namespace CSharpBpf.Object.Tests.Btf;

/// <summary>
/// Runs `bpftool btf dump file F format raw`, the independent oracle for what a BTF file holds,
/// and parses struct members out of its text.
/// </summary>
internal static class BpftoolRawDump
{
    public static string? SkipReason
    {
        get
        {
            if (!File.Exists("/sys/kernel/btf/vmlinux")) return "/sys/kernel/btf/vmlinux absent";
            return Run("version") is null ? "bpftool is not installed" : null;
        }
    }

    public static string Dump(string file, string? baseFile = null) =>
        Run(baseFile is null ? $"btf dump file {file} format raw" : $"btf dump file {file} base {baseFile} format raw")
        ?? throw new IOException("bpftool failed on " + file);

    /// <summary>The member lines of STRUCT <paramref name="name"/>: name -> (bits_offset, size of the struct).</summary>
    public static (uint Size, Dictionary<string, uint> BitOffsets) Struct(string rawDump, string name)
    {
        var header = new Regex(@"^\[\d+\] STRUCT '" + Regex.Escape(name) + @"' size=(\d+) vlen=\d+$", RegexOptions.Multiline);
        var m = header.Match(rawDump);
        if (!m.Success) throw new KeyNotFoundException($"bpftool dump has no STRUCT '{name}'");
        var members = new Dictionary<string, uint>();
        var line = new Regex(@"^\t'([^']*)' type_id=\d+ bits_offset=(\d+)");
        using var reader = new StringReader(rawDump.Substring(m.Index + m.Length + 1));
        for (string? l = reader.ReadLine(); l is not null && l.StartsWith("\t"); l = reader.ReadLine())
        {
            var lm = line.Match(l);
            if (lm.Success) members[lm.Groups[1].Value] = uint.Parse(lm.Groups[2].Value);
        }
        return (uint.Parse(m.Groups[1].Value), members);
    }

    private static string? Run(string args)
    {
        try
        {
            var psi = new ProcessStartInfo("bpftool", args)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            _ = stderr.Result;
            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
