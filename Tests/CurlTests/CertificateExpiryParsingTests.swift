import Foundation
import Testing

@testable import Curl

/// libcurl prints a certificate's notAfter differently per TLS backend; both must parse as UTC.
struct CertificateExpiryParsingTests {
    @Test func openSSLFormatWithSpacePaddedDayParses() {
        #expect(
            CertificateInfo.parseExpireDate("Feb  1 00:00:00 2020 GMT") == Date(timeIntervalSince1970: 1_580_515_200))
    }

    @Test func libcurlASN1FormatParses() {
        #expect(
            CertificateInfo.parseExpireDate("2020-02-01 00:00:00 GMT") == Date(timeIntervalSince1970: 1_580_515_200))
    }

    @Test func garbageIsNil() {
        #expect(CertificateInfo.parseExpireDate("soon") == nil)
        #expect(CertificateInfo.parseExpireDate("") == nil)
    }
}
