/// A shared contact (https://core.telegram.org/bots/api#contact). `userID` is set when the contact
/// is a Telegram user; `/start` accepts the phone only when it equals the sender's own id.
public struct Contact: Codable, Sendable, Hashable {
    public var phoneNumber: String
    public var firstName: String
    public var lastName: String?
    public var userID: Int64?
    public var vcard: String?

    public init(
        phoneNumber: String, firstName: String, lastName: String? = nil, userID: Int64? = nil, vcard: String? = nil
    ) {
        self.phoneNumber = phoneNumber
        self.firstName = firstName
        self.lastName = lastName
        self.userID = userID
        self.vcard = vcard
    }

    enum CodingKeys: String, CodingKey {
        case phoneNumber = "phone_number"
        case firstName = "first_name"
        case lastName = "last_name"
        case userID = "user_id"
        case vcard
    }
}
