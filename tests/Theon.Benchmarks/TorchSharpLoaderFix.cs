using System.Buffers.Binary;
using System.Text;

namespace Theon.Benchmarks;

/// <summary>
/// Lets TorchSharp-cpu 0.107.0 load on Debian 12. Its libLibTorchSharp.so requires GLIBCXX_3.4.32 (GCC 13) only
/// for <c>std::ios_base_library_init()</c>, a link-time anchor nothing calls; Debian 12's libstdc++ stops at
/// 3.4.30. Marking that one version requirement weak (VER_FLG_WEAK in its Vernaux entry) makes the loader accept
/// the library. Only the copy in this program's build output is patched, never the NuGet cache, and only when the
/// anchor is the sole symbol of that version.
/// </summary>
internal static class TorchSharpLoaderFix
{
    private const string Library = "libLibTorchSharp.so";
    private const string Version = "GLIBCXX_3.4.32";
    private const string Anchor = "_ZSt21ios_base_library_initv";
    private const uint ShtDynsym = 11, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;
    private const ushort VerFlagWeak = 2;

    public static void Apply()
    {
        if (!OperatingSystem.IsLinux()) return;
        var path = Directory.EnumerateFiles(AppContext.BaseDirectory, Library, SearchOption.AllDirectories)
            .FirstOrDefault();
        if (path is null) return;
        if (path.Contains($"{Path.DirectorySeparatorChar}.nuget{Path.DirectorySeparatorChar}"))
            throw new InvalidOperationException($"{path}: refusing to patch a file inside the NuGet cache.");
        var image = File.ReadAllBytes(path);
        if (MarkWeak(image, path)) File.WriteAllBytes(path, image);
    }

    /// <summary>Sets the weak flag on the GLIBCXX_3.4.32 requirement; false when there is nothing to change.</summary>
    private static bool MarkWeak(byte[] image, string path)
    {
        if (image.Length < 64 || image[0] != 0x7f || image[1] != 'E' || image[2] != 'L' || image[3] != 'F' ||
            image[4] != 2 || image[5] != 1)
            throw new InvalidDataException($"{path}: expected a 64-bit little-endian ELF file.");
        var sections = Sections(image);
        var verneed = sections.Single(s => s.Type == ShtGnuVerneed);
        var strings = sections[(int)verneed.Link];
        var (flagsOffset, index) = FindRequirement(image, verneed, strings);
        if (flagsOffset < 0) return false;
        var users = SymbolsWithVersion(image, sections, index);
        if (users.Count != 1 || users[0] != Anchor)
            throw new InvalidDataException(
                $"{path}: {Version} is needed by [{string.Join(", ", users)}], expected only {Anchor}; not patching.");
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(flagsOffset));
        if ((flags & VerFlagWeak) != 0) return false;
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(flagsOffset), (ushort)(flags | VerFlagWeak));
        return true;
    }

    private static (int FlagsOffset, int Index) FindRequirement(byte[] image, Section verneed, Section strings)
    {
        var need = (int)verneed.Offset;
        while (true)
        {
            var count = U16(image, need + 2);
            var aux = need + (int)U32(image, need + 8);
            for (var i = 0; i < count; i++)
            {
                if (CString(image, strings.Offset + U32(image, aux + 8)) == Version)
                    return (aux + 4, U16(image, aux + 6));
                aux += (int)U32(image, aux + 12);
            }
            var next = U32(image, need + 12);
            if (next == 0) return (-1, 0);
            need += (int)next;
        }
    }

    private static List<string> SymbolsWithVersion(byte[] image, Section[] sections, int index)
    {
        var dynsym = sections.Single(s => s.Type == ShtDynsym);
        var versym = sections.Single(s => s.Type == ShtGnuVersym);
        var names = sections[(int)dynsym.Link];
        var found = new List<string>();
        var count = (int)(dynsym.Size / 24);
        for (var i = 0; i < count; i++)
        {
            if ((U16(image, (int)versym.Offset + 2 * i) & 0x7fff) != index) continue;
            found.Add(CString(image, names.Offset + U32(image, (int)dynsym.Offset + 24 * i)));
        }
        return found;
    }

    private readonly record struct Section(uint Type, long Offset, long Size, uint Link);

    private static Section[] Sections(byte[] image)
    {
        var table = (int)U64(image, 0x28);
        int entrySize = U16(image, 0x3a), count = U16(image, 0x3c);
        var sections = new Section[count];
        for (var i = 0; i < count; i++)
        {
            var entry = table + i * entrySize;
            sections[i] = new Section(U32(image, entry + 4), (long)U64(image, entry + 0x18),
                (long)U64(image, entry + 0x20), U32(image, entry + 0x28));
        }
        return sections;
    }

    private static string CString(byte[] image, long offset)
    {
        var span = image.AsSpan((int)offset);
        return Encoding.ASCII.GetString(span[..span.IndexOf((byte)0)]);
    }

    private static ushort U16(byte[] image, int offset) =>
        BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(offset));
    private static uint U32(byte[] image, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(offset));
    private static ulong U64(byte[] image, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(offset));
}
